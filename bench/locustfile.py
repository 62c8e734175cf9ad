"""O9's mixed load (locust, loopback): case pages, person searches, the DMM board, the home page.

bench/mixed_load.py starts it with BENCH_O9_PLAN naming a JSON file of session cookie, case ids and
search terms, so every simulated user is signed in (password and TOTP, done once beforehand).
"""

from __future__ import annotations

import json
import os
import random
import uuid

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["BENCH_O9_PLAN"]).read())  # noqa: PTH123, SIM115
# Each request's X-Request-ID names its kind and this run, so bench/mixed_load.py can count the s62
# rows each request wrote (Haven keeps a well-formed incoming id and writes it on the row).
TAG = os.environ.get("BENCH_O9_TAG", "o9")


SERVED: list[str] = []  # the ids of requests answered 200, written out when locust stops


def _id(kind: str) -> dict[str, str]:
    return {"X-Request-ID": f"{TAG}.{kind}.{uuid.uuid4().hex[:16]}"}


@events.request.add_listener
def _answered(request_type: str, name: str, response: object = None, exception: object = None, **_: object) -> None:
    if exception is None and getattr(response, "status_code", 0) == 200:
        request_id = getattr(response, "headers", {}).get("X-Request-ID", "")
        if request_id.startswith(f"{TAG}."):
            SERVED.append(request_id)


@events.quitting.add_listener
def _write_served(**_: object) -> None:
    if os.environ.get("BENCH_O9_SERVED"):
        with open(os.environ["BENCH_O9_SERVED"], "w") as out:  # noqa: PTH123
            out.write("\n".join(SERVED))


class Officer(HttpUser):
    wait_time = between(0.05, 0.2)

    def on_start(self) -> None:
        self.client.cookies.set(PLAN["cookie_name"], PLAN["cookie"])

    @task(5)
    def case_page(self) -> None:
        case = random.choice(PLAN["cases"])  # noqa: S311
        self.client.get(f"/cases/{case}/", name="O1 case page", headers=_id("case"))

    @task(3)
    def search(self) -> None:
        q, dob = random.choice(PLAN["searches"])  # noqa: S311
        self.client.get("/people/", params={"q": q, "dob": dob}, name="O3 person search", headers=_id("search"))

    @task(1)
    def board(self) -> None:
        self.client.get("/dmm/", name="O6 DMM board", headers=_id("board"))

    @task(1)
    def home(self) -> None:
        self.client.get("/", name="home", headers=_id("home"))
