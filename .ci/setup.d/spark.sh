#!/usr/bin/env bash
# Tools for the Spark verification job (spark/, .ci/spark.sh): PySpark from PyPI, whose package
# carries the Spark jars (compile against them) and spark-submit (local mode), and pyarrow to read
# the job's Parquet output back independently. Both go into $ESEAL_TOOLS/spark-py; Java 17 comes
# from .ci/setup.d/ffi.sh (default-jdk-headless). Idempotent and quiet; runs as root.
set -euo pipefail
ESEAL_TOOLS="${ESEAL_TOOLS:-$PWD/.tools}"
export PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1
PYSPARK_VERSION=3.5.7
dir="$ESEAL_TOOLS/spark-py"
if ! PYTHONPATH="$dir" python3 -c "import pyspark, pyarrow, sys; sys.exit(pyspark.__version__ != '$PYSPARK_VERSION')" >/dev/null 2>&1; then
    log=$(mktemp)
    if ! python3 -m pip install -q --no-warn-script-location --upgrade --target "$dir" \
        "pyspark==$PYSPARK_VERSION" pyarrow >"$log" 2>&1; then
        cat "$log" >&2
        exit 1
    fi
    rm -f "$log"
    PYTHONPATH="$dir" python3 -c 'import pyspark, pyarrow'
fi
