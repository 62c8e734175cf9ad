"""O8's yardstick: Splink (DuckDB backend) de-duplicating the same person table Haven does.

Splink sees what Haven's ``person_duplicate_pairs`` sees: first name, surname (and its double
metaphone, for blocking) and date of birth of every visible person (not restricted, not merged).
It is trained unsupervised, as a force would run it without labels: u by random sampling, the match
prior from deterministic rules (two of first name, surname and date of birth agree), m by EM on two
blockings. It returns every pair at match probability ≥ 0.5 with its probability; bench/run.py
scores several thresholds. Imported only by bench/run.py.

Its blocking rules are ones a force could run on its whole register: each keeps the pairs compared
near-linear in the number of people. (The first rules, ``block_on("dob")`` and ``block_on("surname")``,
compare about 300 million and 8 billion pairs at t1: every Smith with every other Smith.) They are the
keys Haven blocks on, so the two differ in how they score the same kind of candidates.

With ``timeout_s`` it runs in a child process that is killed when the time is up, so a run that
cannot finish is reported as such.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import tempfile
from typing import Any

THRESHOLD = 0.5
PEOPLE_SQL = """
SELECT id AS unique_id, split_part(normalised_name, ' ', 1) AS first_name, normalised_surname AS surname,
       surname_metaphone, date_of_birth::text AS dob, left(normalised_name, 1) AS first_initial,
       to_char(date_of_birth, 'YYYY') AS birth_year, to_char(date_of_birth, 'MM-DD') AS birth_day
FROM people_person WHERE NOT is_restricted AND merged_into_id IS NULL
"""


def splink_pairs(conninfo: str, timeout_s: float | None = None) -> tuple[dict[tuple[int, int], float], str]:
    """Every pair Splink scores at match probability ≥ ``THRESHOLD``, with its probability.

    With ``timeout_s``, in a forked child killed after that many seconds (raises TimeoutError)."""
    if timeout_s is None:
        return _splink_pairs(conninfo)
    with tempfile.TemporaryDirectory(prefix="splink-") as tmp:
        out = os.path.join(tmp, "pairs.pickle")
        child = multiprocessing.get_context("fork").Process(target=_to_file, args=(conninfo, out), daemon=True)
        child.start()
        child.join(timeout_s)
        if child.is_alive():
            child.kill()
            child.join()
            raise TimeoutError(f"Splink did not finish within {timeout_s:.0f} s (killed)")
        if child.exitcode != 0 or not os.path.exists(out):
            raise RuntimeError(f"Splink's process failed (exit code {child.exitcode})")
        with open(out, "rb") as f:
            result: tuple[dict[tuple[int, int], float], str] = pickle.load(f)  # noqa: S301 - our own child's file
        return result


def _to_file(conninfo: str, out: str) -> None:
    result = _splink_pairs(conninfo)
    with open(out + ".part", "wb") as f:
        pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(out + ".part", out)


def _splink_pairs(conninfo: str) -> tuple[dict[tuple[int, int], float], str]:
    import duckdb
    import psycopg
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI

    with psycopg.connect(conninfo) as conn:
        rows = conn.execute(PEOPLE_SQL).fetchall()
    table = pa.table(
        {
            "unique_id": [r[0] for r in rows],
            "first_name": [r[1] or None for r in rows],
            "surname": [r[2] or None for r in rows],
            "surname_metaphone": [r[3] or None for r in rows],
            "dob": [r[4] for r in rows],
            "first_initial": [r[5] or None for r in rows],
            "birth_year": [r[6] for r in rows],
            "birth_day": [r[7] for r in rows],
        }
    )
    con = duckdb.connect()
    con.register("people_arrow", table)
    con.execute("CREATE TABLE people AS SELECT * FROM people_arrow")
    db_api = DuckDBAPI(connection=con)
    df = db_api.register("people")
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("dob", "surname_metaphone"),
            block_on("dob", "first_name"),
            block_on("first_name", "surname_metaphone", "birth_year"),
            block_on("first_name", "surname_metaphone", "birth_day"),
        ],
    )
    linker = Linker(df, settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("dob", "surname"), block_on("dob", "first_name"), block_on("first_name", "surname")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    # Blocking columns that are not compared (initial, metaphone, birth year) leave the compared ones free
    # for EM to estimate: the first session estimates the names, the second the surname and date of birth.
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob", "first_initial"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname_metaphone", "birth_year")
    )
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    found: Any = predictions.as_duckdbpyrelation().select("unique_id_l, unique_id_r, match_probability").fetchall()
    pairs = {(min(a, b), max(a, b)): float(p) for a, b, p in found}
    detail = (
        "Splink 5 (DuckDB), names + date of birth, unsupervised (u random sampling, EM on dob + first initial "
        "and on first name + surname metaphone + birth year), blocked on dob + surname metaphone, "
        "dob + first name, first name + surname "
        f"metaphone + birth year or + birth day; match probability ≥ {THRESHOLD}"
    )
    return pairs, detail
