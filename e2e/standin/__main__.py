"""``python -m e2e.standin``: serve the gcp and random stand-ins until stopped.

Both listen on free ports of 127.0.0.1 only. Once both are up, the ready file
receives ``{"gcp": PORT, "random": PORT}`` (written to a temporary file and
renamed, so a reader never sees half of it); SIGTERM or SIGINT stops both
and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import threading
from concurrent import futures
from pathlib import Path
from types import FrameType

import grpc  # type: ignore[import-untyped]
from pulumi.runtime.proto import provider_pb2_grpc

from e2e.standin.calls import Recorder
from e2e.standin.gcp import GcpBehaviour
from e2e.standin.lifecycle import Behaviour
from e2e.standin.rand import RandomBehaviour
from e2e.standin.servicer import Servicer

# The engine's own limit for provider messages (sdk/go/common/util/rpcutil).
MAX_MESSAGE = 400 * 1024 * 1024


def serve(behaviour: Behaviour, recorder: Recorder) -> tuple[grpc.Server, int]:
    """A started server for one stand-in, and its port."""
    options = [
        ("grpc.max_receive_message_length", MAX_MESSAGE),
        ("grpc.max_send_message_length", MAX_MESSAGE),
    ]
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16), options=options)
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(
        Servicer(behaviour, recorder), server
    )
    port = int(server.add_insecure_port("127.0.0.1:0"))
    server.start()
    return server, port


def write_atomically(path: Path, text: str) -> None:
    """``text`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w") as out:
        out.write(text)
    Path(tmp).replace(path)


def main(argv: list[str] | None = None) -> int:
    """Serve until SIGTERM or SIGINT."""
    parser = argparse.ArgumentParser(prog="python -m e2e.standin")
    parser.add_argument("--registry", type=Path, required=True)
    parser.add_argument("--calls", type=Path, required=True)
    parser.add_argument("--ready-file", type=Path, required=True)
    args = parser.parse_args(argv)

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    recorder = Recorder(args.calls)
    gcp, gcp_port = serve(GcpBehaviour(args.registry), recorder)
    rnd, random_port = serve(RandomBehaviour(), recorder)
    write_atomically(
        args.ready_file, json.dumps({"gcp": gcp_port, "random": random_port})
    )
    while not stop.wait(0.5):
        pass
    for server in (gcp, rnd):
        server.stop(grace=1).wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
