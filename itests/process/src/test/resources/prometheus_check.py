"""Independent checks for MetricsIT, run with the prometheus_client venv's Python.

  metrics: reads a Prometheus text exposition on stdin and parses it with prometheus_client's own
           parser; prints "F<TAB>family<TAB>type" per family and "S<TAB>name{k="v",...}<TAB>value"
           per sample (labels sorted). Exits non-zero (with the parser's error) if it does not parse.
  jsonl:   reads JSON lines on stdin; each must be one JSON object; prints each line's "event"
           (from logback's kvpList) or "-".
"""
import json
import sys


def metrics():
    from prometheus_client.parser import text_string_to_metric_families
    for family in text_string_to_metric_families(sys.stdin.read()):
        print("F\t%s\t%s" % (family.name, family.type))
        for sample in family.samples:
            labels = ",".join('%s="%s"' % (k, v) for k, v in sorted(sample.labels.items()))
            print("S\t%s{%s}\t%r" % (sample.name, labels, float(sample.value)))


def jsonl():
    for number, line in enumerate(sys.stdin.read().splitlines(), 1):
        event = json.loads(line)
        if not isinstance(event, dict):
            raise SystemExit("line %d is not a JSON object" % number)
        pairs = {}
        for pair in event.get("kvpList", []):
            pairs.update(pair)
        print(pairs.get("event", "-"))


{"metrics": metrics, "jsonl": jsonl}[sys.argv[1]]()
