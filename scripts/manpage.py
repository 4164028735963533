#!/usr/bin/env python3
"""Writes salesync(1) in roff from the same declarations as `--help` (the JSON of
`salesync --experimental-dump-help`), plus the exit codes (README.md) and every config key
(docs/configuration.md), so the page cannot drift from the program or its docs.

    manpage.py HELP_JSON VERSION CONFIGURATION_MD > salesync.1
"""
import json
import os
import re
import sys


def esc(text):
    """Roff-safe text: backslashes, leading dots and quotes, markdown's backticks."""
    text = text.replace("\\", "\\e").replace("`", "")
    return "\n".join(("\\&" + l if l.startswith((".", "'")) else l) for l in text.split("\n"))


def md_tables(path, heading_re):
    """The rows of the markdown tables under headings matching `heading_re`, by heading."""
    out, heading = {}, None
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^#+\s+(.*)", line)
        if m:
            heading = m.group(1).strip() if re.search(heading_re, m.group(1)) else None
            continue
        if heading and line.startswith("|") and not re.match(r"^\|[-| ]+\|$", line.strip()):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            out.setdefault(heading, []).append(cells)
    return {h: rows[1:] for h, rows in out.items()}   # drop each table's header row


def option_line(a):
    names = ", ".join(("--" if n["kind"] == "long" else "-") + n["name"] for n in a.get("names", []))
    if a["kind"] == "positional":
        return f"\\fI{a['valueName'].upper()}\\fR"
    value = "" if a["kind"] == "flag" else f" \\fI{a.get('valueName', 'value')}\\fR"
    return f"\\fB{esc(names)}\\fR{value}"


def command(c, path, out):
    name = " ".join(path)
    out.append(f".SS {esc(name)}")
    if c.get("abstract"):
        out.append(esc(c["abstract"]))
    if c.get("discussion"):
        out.append(".PP")
        out.append(esc(c["discussion"]))
    for a in c.get("arguments", []):
        if not a.get("shouldDisplay", True) or a.get("preferredName", {}).get("name") in ("help", "version"):
            continue
        out.append(".TP")
        out.append(option_line(a))
        out.append(esc(a.get("abstract", "")))
    for s in c.get("subcommands", []):
        if s["commandName"] != "help":
            command(s, path + [s["commandName"]], out)


def main():
    help_json, version, config_md = sys.argv[1:4]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    c = json.load(open(help_json))["command"]
    out = [f'.TH SALESYNC 1 "" "salesync {esc(version)}" "User Commands"',
           ".SH NAME", "salesync \\- " + esc(c["abstract"]),
           ".SH SYNOPSIS", "\\fBsalesync\\fR [\\fB--config\\fR \\fIFILE\\fR] [\\fB--verbose\\fR] \\fICOMMAND\\fR [\\fIoptions\\fR]",
           ".SH DESCRIPTION", esc(c.get("discussion", "")), ".SH COMMANDS"]
    for s in c["subcommands"]:
        if s["commandName"] != "help":
            command(s, ["salesync", s["commandName"]], out)
    out.append(".SH EXIT STATUS")
    for code, meaning, todo in next(iter(md_tables(os.path.join(root, "README.md"), r"Exit status").values())):
        out += [".TP", f"\\fB{esc(code)}\\fR", esc(f"{meaning}. {todo}.")]
    out.append(".SH CONFIGURATION")
    out.append("One TOML file per site (\\fB--config\\fR, else \\fB$SALESYNC_CONFIG\\fR, else /etc/salesync/salesync.toml). Every key:")
    for heading, rows in md_tables(config_md, r"^(Top level|`\[)").items():
        out.append(f".SS {esc(heading)}")
        for r in rows:
            out += [".TP", f"\\fB{esc(r[0])}\\fR ({esc(r[1])}, {esc(r[2])})", esc(r[3] if len(r) > 3 else "")]
    out += [".SH FILES", ".TP", "/etc/salesync/", "configs, password files and keys (mode 0750, root)",
            ".TP", "/var/lib/salesync/", "state: outbox, acknowledged bundles, quarantine",
            ".TP", "/usr/share/salesync/cron/", "cron.d files for a branch and a head office (copy to /etc/cron.d to enable)",
            ".TP", "/lib/systemd/system/salesync-*", "units (not enabled by the package)",
            ".TP", "/usr/share/doc/salesync/examples/", "sample configs",
            ".SH SEE ALSO", "/usr/share/doc/salesync/README.md.gz and every document in /usr/share/doc/salesync/docs/ (configuration, console, capture, cluster, packaging, reliability, schema changes, bundle format, architecture)"]
    print("\n".join(out))


main()
