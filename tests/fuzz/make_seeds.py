#!/usr/bin/env python3
"""Writes raw seed inputs for every fuzz target into OUT_DIR/<target>/, from the golden files
(tests/golden), the captured client traffic (../shared/fixtures/captures) and the built-in scenario
profiles (assets/scenarios). tests/fuzz/merge.sh minimises them into tests/fuzz/corpus/.

Each target's first input byte is a selector (see fuzz_util.hpp): protocol, direction or kind.
    tests/fuzz/make_seeds.py OUT_DIR [SHARED_DIR]
"""
import hashlib
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
PROTOCOLS = ["chat", "responses", "messages"]
MAX_SEED_BYTES = 4 << 10  # the checked-in corpora stay small (run.sh fuzzes up to 16 KiB)
# Captures: which protocol each client speaks.
CAPTURE_PROTOCOL = {"codex": "responses", "sdk-openai-responses": "responses",
                    "claude": "messages", "sdk-anthropic-messages": "messages"}


def write(out, target, selector, data):
    if isinstance(data, str):
        data = data.encode()
    blob = bytes([selector]) + data
    if len(blob) > MAX_SEED_BYTES:
        return
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(blob).hexdigest()).write_bytes(blob)


def golden_cases(kind):
    """(from, to, input text) for tests/golden/<kind>/<from>-to-<to>/<case>/input.*"""
    for direction in sorted((ROOT / "tests/golden" / kind).iterdir()):
        src, _, dst = direction.name.partition("-to-")
        for case in sorted(direction.iterdir()):
            for f in case.glob("input.*"):
                yield src, dst, f.read_text()
            for f in case.glob("expected.*"):  # the target protocol's own grammar (codecs only)
                yield dst, None, f.read_text()


def captures(shared):
    """(protocol, request body, reply text, reply is a stream) for each captured exchange."""
    for f in sorted((shared / "fixtures/captures").glob("*.json")):
        proto = next((p for prefix, p in CAPTURE_PROTOCOL.items() if f.name.startswith(prefix)), None)
        if not proto:
            continue
        d = json.loads(f.read_text())
        reply = (d.get("response") or {}).get("body_text") or ""
        yield proto, json.dumps(d["body_json"]), reply, reply.startswith(("event:", "data:"))


def probe_reply(status, content_type, body, stream, flags=""):
    # probe_run_fuzz.cpp's format: a head line, then the body in chunks split at 0x1E.
    if stream:
        body = "\x1e".join(e + "\n\n" for e in body.split("\n\n") if e.strip())
    return f"{status} {content_type}{' ' + flags if flags else ''}\n{body}"


def main():
    out = pathlib.Path(sys.argv[1])
    shared = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT.parent / "shared"
    kinds = {"request": 0, "response": 1, "stream": 2}
    probe_replies = {p: [] for p in PROTOCOLS}
    for kind, k in kinds.items():
        for src, dst, text in golden_cases(kind):
            p = PROTOCOLS.index(src)
            write(out, f"{src}_codec", k, text)
            if kind != "stream":
                write(out, "json", len(text) & 0xFF, text)
            if dst:
                write(out, f"translate_{kind}", p + 3 * PROTOCOLS.index(dst), text)
                if kind == "request":  # the adapter's path (client tools kept)
                    write(out, "translate_request", 0x80 | (p + 3 * PROTOCOLS.index(dst)), text)
            if not dst:
                continue
            if kind == "stream":
                write(out, "sse", len(text) & 0xFF, text)
            if kind != "request":
                ct = "text/event-stream" if kind == "stream" else "application/json"
                probe_replies[src].append(probe_reply(200, ct, text, kind == "stream"))
    if shared.is_dir():
        for proto, body, reply, stream in captures(shared):
            p = PROTOCOLS.index(proto)
            write(out, f"{proto}_codec", 0, body)
            write(out, f"{proto}_codec", 2 if stream else 1, reply)
            for dst in PROTOCOLS:
                write(out, "translate_request", p + 3 * PROTOCOLS.index(dst), body)
                write(out, "translate_stream" if stream else "translate_response",
                      p + 3 * PROTOCOLS.index(dst), reply)
            if stream:
                write(out, "sse", 1, reply)
    # Probe run: mixes of one reply per protocol, and the failure shapes the probe must classify.
    # Selector (probe_run_fuzz.cpp): bit 0 browser, bit 3 whole suite, high bits the single step.
    for i in range(4):  # a few replies per protocol keep the corpus small; the fuzzer does the rest
        mix = "\n====\n".join(v[i] for v in probe_replies.values() if len(v) > i)
        write(out, "probe_run", 8 | (i & 1), mix)
        for step in range(16):
            write(out, "probe_run", (step << 4) | (i & 1), mix)
    for flags in ["drop", "fail", "slow"]:
        write(out, "probe_run", 0, probe_reply(200, "text/event-stream", probe_replies["chat"][0].split("\n", 1)[1], False, flags))
    write(out, "probe_run", 8, "502 text/html\n<html><body>Bad Gateway</body></html>")
    write(out, "probe_run", 9, '429 application/json\n{"error":{"message":"slow down","type":"rate_limit"}}')
    write(out, "probe_run", 0, "200 application/json\n")
    for f in sorted((ROOT / "assets/scenarios").glob("*.json")):
        data = f.read_bytes()
        d = out / "scenario_profile"
        d.mkdir(parents=True, exist_ok=True)
        (d / hashlib.sha1(data).hexdigest()).write_bytes(data)  # no selector: the whole input is the profile
    for t in sorted(p.name for p in out.iterdir()):
        print(f"{t}: {len(list((out / t).iterdir()))} seeds")


if __name__ == "__main__":
    main()
