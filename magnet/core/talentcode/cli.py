"""Command line for service points and audits: `verify` a code, write the `keys`.

    verify [--keys FILE] [--revocations FILE] [--hex] [--prefix P] [--at UNIX_TIME] CODE
        prints the verified claims as JSON and exits 0, or prints "<reason>: <message>" and exits 1.
        --keys: a COSE_Key or COSE_KeySet (CBOR file); without it, `default_keys()` (the platform's).
        --hex: CODE is a bare COSE_Sign1 (tagged or not) in hex, not a prefixed code.
        --prefix: read codes with another prefix, e.g. "HC1:" for EU DCC codes (then any CWT is shown).
    keys [--keys FILE] [--out FILE] [--json]
        writes the key set (COSE_KeySet CBOR) to FILE or standard output; --json lists kids and algs.

Exit status 2: usage errors, unreadable key or revocation files, no keys. The Django command
`python -m magnet code …` calls `main(argv, default_keys=…, default_revocations=…)` with the platform's
published key set and cached revocation list; this module itself does not know where they are kept.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

from .errors import CodeRefused, RevocationListRefused
from .keys import ALG_NAMES, KeyFormatError
from .keyset import KeySet
from .revocation import RevocationList
from .transport import PREFIX
from .verifier import Verifier

__all__ = ["main"]


class _Usage(Exception):
    """A problem with the command line or its files (exit status 2)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="code", description="Magnet talent codes: verify offline, export keys.")
    sub = parser.add_subparsers(dest="command", required=True)
    verify = sub.add_parser("verify", help="verify a code and print its claims as JSON")
    verify.add_argument("--keys", type=Path, help="COSE_Key or COSE_KeySet file (CBOR)")
    verify.add_argument("--revocations", type=Path, help="signed revocation list file (COSE_Sign1)")
    verify.add_argument("--hex", action="store_true", help="CODE is a bare COSE_Sign1 in hex")
    verify.add_argument("--prefix", default=PREFIX, help=f"code prefix (default {PREFIX})")
    verify.add_argument("--at", type=float, help="check validity as of this unix time")
    verify.add_argument("code", help="the scanned code (or hex with --hex)")
    keys = sub.add_parser("keys", help="write the key set")
    keys.add_argument("--keys", type=Path, help="read this key file instead of the platform's keys")
    keys.add_argument("--out", type=Path, help="write the COSE_KeySet here (default: standard output)")
    keys.add_argument("--json", action="store_true", help="list the keys as JSON instead")
    return parser


def _load_keys(path: Path | None, default_keys: Callable[[], KeySet] | None) -> KeySet:
    if path is None:
        if default_keys is None:
            raise _Usage("no keys: pass --keys FILE")
        return default_keys()
    try:
        return KeySet.decode(path.read_bytes())
    except OSError as exc:
        raise _Usage(f"cannot read {path}: {exc.strerror}") from None
    except KeyFormatError as exc:
        raise _Usage(f"{path}: {exc}") from None


def _load_revocations(
    path: Path | None, keys: KeySet, default: Callable[[], RevocationList | None] | None
) -> RevocationList | None:
    if path is None:
        return default() if default is not None else None
    try:
        return RevocationList.verify(path.read_bytes(), keys)
    except OSError as exc:
        raise _Usage(f"cannot read {path}: {exc.strerror}") from None
    except RevocationListRefused as exc:
        raise _Usage(f"{path}: revocation list refused ({exc.reason}: {exc.message})") from None


def _verify(args: argparse.Namespace, out: IO[str], default_keys, default_revocations) -> int:
    keys = _load_keys(args.keys, default_keys)
    verifier = Verifier(keys, _load_revocations(args.revocations, keys, default_revocations), prefix=args.prefix)
    try:
        if args.hex:
            try:
                cose = bytes.fromhex("".join(args.code.split()))
            except ValueError:
                raise CodeRefused("malformed", "not hexadecimal") from None
            claims = verifier.verify_cwt(cose, at=args.at).to_json()
        elif args.prefix == PREFIX:
            claims = verifier.verify(args.code, at=args.at).to_json()
        else:
            claims = verifier.verify_cwt(args.code, at=args.at).to_json()
    except CodeRefused as exc:
        print(f"{exc.reason}: {exc.message}", file=out)
        return 1
    print(json.dumps(claims, ensure_ascii=False, indent=2, sort_keys=True), file=out)
    return 0


def _keys(args: argparse.Namespace, out: IO[str], default_keys) -> int:
    keys = _load_keys(args.keys, default_keys)
    if args.json:
        listing = [{"kid": k.kid.hex(), "kty": k.kty, "alg": ALG_NAMES.get(k.alg or 0, None)} for k in keys]
        print(json.dumps(listing, indent=2), file=out)
    elif args.out is not None:
        args.out.write_bytes(keys.encode())
    else:
        binary = getattr(out, "buffer", None)
        if binary is None:
            raise _Usage("standard output is not binary: use --out FILE or --json")
        out.flush()
        binary.write(keys.encode())
        binary.flush()
    return 0


def main(
    argv: Sequence[str] | None = None,
    *,
    default_keys: Callable[[], KeySet] | None = None,
    default_revocations: Callable[[], RevocationList | None] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    """Run the command line; return the exit status (0 verified/written, 1 refused, 2 usage error)."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage
        return int(exc.code or 0)
    try:
        if args.command == "verify":
            return _verify(args, out, default_keys, default_revocations)
        return _keys(args, out, default_keys)
    except _Usage as exc:
        print(f"error: {exc}", file=err)
        return 2


if __name__ == "__main__":
    sys.exit(main())
