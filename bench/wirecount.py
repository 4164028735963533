#!/usr/bin/env python3
"""A TCP relay that counts the bytes each way: what a branch's drain really puts on the wire
(AMQP frames: method, header and body frames, heartbeats, confirms), not just bundle bytes.

    wirecount.py LISTEN_PORT TARGET_PORT COUNTS_FILE [LISTEN_HOST]

COUNTS_FILE is rewritten after every read with "UP DOWN CONNECTIONS" (UP: client to broker).
LISTEN_HOST (default 127.0.0.1) lets a branch in a network namespace of the link tests reach the
broker, which listens on loopback only (harness/links).
"""
import asyncio
import os
import sys

listen_port, target_port, counts_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
listen_host = sys.argv[4] if len(sys.argv) > 4 else "127.0.0.1"
totals = {"up": 0, "down": 0, "connections": 0}


def save():
    tmp = counts_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"{totals['up']} {totals['down']} {totals['connections']}\n")
    os.replace(tmp, counts_file)


async def pipe(reader, writer, direction):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            totals[direction] += len(data)
            writer.write(data)
            await writer.drain()
            save()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def handle(client_reader, client_writer):
    totals["connections"] += 1
    save()
    try:
        broker_reader, broker_writer = await asyncio.open_connection("127.0.0.1", target_port)
    except OSError:
        client_writer.close()
        return
    await asyncio.gather(pipe(client_reader, broker_writer, "up"), pipe(broker_reader, client_writer, "down"))


async def main():
    save()
    server = await asyncio.start_server(handle, listen_host, listen_port)
    async with server:
        await server.serve_forever()


asyncio.run(main())
