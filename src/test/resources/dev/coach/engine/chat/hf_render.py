#!/usr/bin/env python3
"""Renders chat templates the way Hugging Face transformers' apply_chat_template does, to check the expected
strings in coach's chat template tests. Not used by the tests (they need no Python); run it by hand:

    python3 hf_render.py cases.json

cases.json is a list of {"template": str, "messages": [{"role", "content"}], "add_generation_prompt": bool,
"bos_token": str, "eos_token": str, "variables": {...}}. Each rendering (or error) is printed as a JSON string.
Needs Jinja2 (3.1.6 was used). strftime_now is fixed at 2025-03-07 09:05:03, as in the tests.
"""
import datetime
import json
import sys

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension, loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

NOW = datetime.datetime(2025, 3, 7, 9, 5, 3)


class Generation(Extension):
    """transformers' {% generation %} block: renders its body unchanged."""
    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return nodes.CallBlock(self.call_method("_body", []), [], [], body).set_lineno(lineno)

    def _body(self, caller):
        return caller()


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[Generation, loopcontrols])
env.filters["tojson"] = tojson
env.globals["raise_exception"] = raise_exception
env.globals["strftime_now"] = lambda fmt: NOW.strftime(fmt)

for case in json.load(open(sys.argv[1])):
    variables = {"tools": None, "documents": None}
    variables.update(case.get("variables", {}))
    try:
        out = env.from_string(case["template"]).render(
            messages=case["messages"], add_generation_prompt=case.get("add_generation_prompt", True),
            bos_token=case.get("bos_token", ""), eos_token=case.get("eos_token", ""), **variables)
    except Exception as e:  # the tests expect a ChatTemplateException here
        out = "ERROR " + type(e).__name__ + ": " + str(e)
    print(json.dumps(out, ensure_ascii=False))
