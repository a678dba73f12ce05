"""The pipeline on Apache Spark: `newsgraph spark INPUT... --output DIR`.

The records are those of `newsgraph extract` (the same readers, `extract_batch` and
`record_tables`), written as one Parquet table per section, partitioned by publication
month, plus an `errors` table. pyspark is the optional extra `newsgraph[spark]`; nothing
here imports it until a job runs. See docs/scaling.md.
"""

from __future__ import annotations

import importlib.util
import shutil


def spark_available() -> str | None:
    """None when a Spark job can run here, else what is missing."""
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install 'newsgraph[spark]')"
    if shutil.which("java") is None:
        import os

        if not os.environ.get("JAVA_HOME"):
            return "no Java runtime (Spark needs Java 17 or 21: install a JRE or set JAVA_HOME)"
    return None
