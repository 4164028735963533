#!/usr/bin/env python3
"""Prints RabbitMQ definitions (JSON, for `rabbitmqctl import_definitions`) for salesync's users.

Passwords go in hashed (rabbit_password_hashing_sha256), so they never appear in argv of
rabbitmqctl. Usage:
  rabbit_definitions.py admin USER PASSWORD            a full-rights administrator
  rabbit_definitions.py branch USER PASSWORD BRANCH    a branch: publish its own bundles, read its own acks and downlink
  rabbit_definitions.py head-office USER PASSWORD      the head office: read all bundles, publish all acks
A PASSWORD of "-" is read from standard input.
"""
import base64, hashlib, json, os, re, sys

def password_hash(pw: str) -> str:
    salt = os.urandom(4)
    return base64.b64encode(salt + hashlib.sha256(salt + pw.encode()).digest()).decode()

def main():
    kind, user, pw = sys.argv[1], sys.argv[2], sys.argv[3]
    if pw == "-":
        pw = sys.stdin.readline().rstrip("\n")
    tags, perm = "", None
    if kind == "admin":
        tags = "administrator"
        perm = dict(configure=".*", write=".*", read=".*")
    elif kind == "branch":
        b = re.escape(sys.argv[4])
        # Bundles go out through the branch's own exchange into its own queue; acks come back
        # through its own ack exchange into its own ack queue. Nothing else is reachable.
        # (Binding a queue needs write on the queue and read on the exchange, hence acks in
        # write and in/ack in read: a branch can only bind its own queues to its own exchanges.)
        # dlx/dead: the dead-letter exchange and queue of its quorum bundle queue, declared by
        # both sides with the same arguments; the broker lets a queue name a dead-letter
        # exchange only for a user with read on the queue and write on the exchange, hence
        # bundles in read (the branch's own queue only). The head office's downlink bundles
        # come through its down exchange into its downlink queue: read on both (consume, bind),
        # write on the queue only (bind): a branch cannot publish downlink bundles.
        perm = dict(configure=rf"^salesync\.(in|bundles|ack|acks|dlx|dead|down|downlink)\.{b}$",
                    write=rf"^salesync\.(in|bundles|acks|dlx|dead|downlink)\.{b}$",
                    read=rf"^salesync\.(acks|ack|in|dlx|bundles|down|downlink)\.{b}$")
    elif kind == "head-office":
        perm = dict(configure=r"^salesync\..*", write=r"^salesync\..*", read=r"^salesync\..*")
    else:
        sys.exit("unknown kind " + kind)
    print(json.dumps({
        "users": [{"name": user, "password_hash": password_hash(pw),
                   "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": tags}],
        "permissions": [dict(user=user, vhost="/", **perm)],
    }))

main()
