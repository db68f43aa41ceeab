"""Starts the local AWS emulator: moto's server with idplane's extension loaded.

Usage: python run_server.py [--host 127.0.0.1] [--port 0] [--exit-on-stdin-eof] [--verbose]

Port 0 picks a free port. Once the server listens, one line is printed on stdout:
    IDPLANE_EMULATOR_ENDPOINT=http://127.0.0.1:PORT
With --exit-on-stdin-eof the server exits as soon as its standard input is closed, so a parent
process that keeps a pipe to it (the Rust test harness) never leaves it running after it exits.
"""

import argparse
import logging
import os
import signal
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--exit-on-stdin-eof", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args()

    if not args.verbose:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)

    import idplane_moto_ext

    idplane_moto_ext.install()

    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    from idplane_moto_ext import ssooidc

    # sso-oidc (CreateTokenWithIAM) is no moto service: answered in front of moto.
    app = ssooidc.wrap(DomainDispatcherApplication(create_backend_app))
    server = make_server(
        args.host,
        args.port,
        app,
        threaded=True,
        request_handler=MotoRequestHandler,
    )

    def stop(*_: object) -> None:
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    if args.exit_on_stdin_eof:

        def watch_stdin() -> None:
            while sys.stdin.buffer.read(4096):
                pass
            os._exit(0)

        threading.Thread(target=watch_stdin, daemon=True).start()

    host = args.host if ":" not in args.host else f"[{args.host}]"
    print(f"IDPLANE_EMULATOR_ENDPOINT=http://{host}:{server.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
