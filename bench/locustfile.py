"""O9's mixed load (locust, loopback): case pages, person searches, the DMM board, the home page.

bench/mixed_load.py starts it with BENCH_O9_PLAN naming a JSON file of session cookie, case ids and
search terms, so every simulated user is signed in (password and TOTP, done once beforehand).
"""

from __future__ import annotations

import json
import os
import random

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["BENCH_O9_PLAN"]).read())  # noqa: PTH123, SIM115


class Officer(HttpUser):
    wait_time = between(0.05, 0.2)

    def on_start(self) -> None:
        self.client.cookies.set(PLAN["cookie_name"], PLAN["cookie"])

    @task(5)
    def case_page(self) -> None:
        self.client.get(f"/cases/{random.choice(PLAN['cases'])}/", name="O1 case page")  # noqa: S311

    @task(3)
    def search(self) -> None:
        q, dob = random.choice(PLAN["searches"])  # noqa: S311
        self.client.get("/people/", params={"q": q, "dob": dob}, name="O3 person search")

    @task(1)
    def board(self) -> None:
        self.client.get("/dmm/", name="O6 DMM board")

    @task(1)
    def home(self) -> None:
        self.client.get("/", name="home")
