"""O8's yardstick: Splink (DuckDB backend) de-duplicating the same person table Haven does.

Splink sees what Haven's ``person_duplicate_pairs`` sees: first name, surname and date of birth of
every visible person (not restricted, not merged). It is trained unsupervised, as a force would
run it without labels: u by random sampling, the match prior from deterministic rules (two of first
name, surname and date of birth agree), m by EM on two blockings. It returns every pair at match
probability ≥ 0.5 with its probability; bench/run.py scores several thresholds. Imported only by
bench/run.py.
"""

from __future__ import annotations

import logging
from typing import Any

THRESHOLD = 0.5
PEOPLE_SQL = """
SELECT id AS unique_id, split_part(normalised_name, ' ', 1) AS first_name, normalised_surname AS surname,
       date_of_birth::text AS dob
FROM people_person WHERE NOT is_restricted AND merged_into_id IS NULL
"""


def splink_pairs(conninfo: str) -> tuple[dict[tuple[int, int], float], str]:
    """Every pair Splink scores at match probability ≥ ``THRESHOLD``, with its probability."""
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
            "dob": [r[3] for r in rows],
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
            block_on("dob"),
            block_on("surname"),
            block_on("first_name", "substr(surname, 1, 2)"),
        ],
    )
    linker = Linker(df, settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("dob", "surname"), block_on("dob", "first_name"), block_on("first_name", "surname")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname"))
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    found: Any = predictions.as_duckdbpyrelation().select("unique_id_l, unique_id_r, match_probability").fetchall()
    pairs = {(min(a, b), max(a, b)): float(p) for a, b, p in found}
    detail = (
        "Splink 5 (DuckDB), names + date of birth, unsupervised (u random sampling, EM on dob and surname), "
        f"match probability ≥ {THRESHOLD}"
    )
    return pairs, detail
