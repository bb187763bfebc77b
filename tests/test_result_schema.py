import json
from pathlib import Path

from app.result import json_schema

SCHEMA = Path(__file__).resolve().parents[1] / "app" / "schemas" / "result-1.json"


def test_committed_schema_matches_the_models():
    """Regenerate with: python -m app schema -o app/schemas/result-1.json"""
    assert json.loads(SCHEMA.read_text()) == json_schema()


def test_result_validates_against_the_schema(norvale_result):
    import jsonschema

    jsonschema.validate(norvale_result.to_dict(), json.loads(SCHEMA.read_text()))
