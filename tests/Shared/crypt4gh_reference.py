#!/usr/bin/python3
"""An independent Crypt4GH v1 reader and writer for the tests, written from specs/htsget/crypt4gh.tex over
Debian's python3-nacl (libsodium). It shares no code with the C# implementation it checks.

  crypt4gh_reference.py keygen SECRET_KEY_FILE PUBLIC_KEY_FILE
  crypt4gh_reference.py encrypt PUBLIC_KEY_FILE PLAINTEXT CRYPT4GH [SKIP,KEEP,...]
  crypt4gh_reference.py decrypt SECRET_KEY_FILE CRYPT4GH PLAINTEXT

Exit status 2 with a message on stderr when a packet, segment or key is refused."""

import base64
import os
import struct
import sys

from nacl import bindings, hash as nacl_hash, encoding

SEGMENT = 65536
MAC = 16
NONCE = 12


def fail(message):
    sys.stderr.write(message + "\n")
    sys.exit(2)


def armoured(path, label):
    lines = [line.strip() for line in open(path).read().splitlines() if line.strip()]
    if lines[0] != f"-----BEGIN {label}-----" or lines[-1] != f"-----END {label}-----":
        fail(f"{path} is not a {label}")
    return base64.b64decode("".join(lines[1:-1]))


def read_secret_key(path):
    blob = armoured(path, "CRYPT4GH PRIVATE KEY")
    if not blob.startswith(b"c4gh-v1"):
        fail("no c4gh-v1 magic")
    position = 7
    fields = []
    while position < len(blob):
        (length,) = struct.unpack(">H", blob[position:position + 2])
        fields.append(blob[position + 2:position + 2 + length])
        position += 2 + length
    if fields[0] != b"none" or fields[1] != b"none":
        fail("protected secret keys are not handled here")
    secret = fields[2]
    return secret, bindings.crypto_scalarmult_base(secret)


def shared_key(dh, reader_public, writer_public):
    # K_shared = Blake2b(K_dh || K_pr || K_pw), first 32 bytes (spec, "X25519_chacha20_ietf_poly1305 Encryption").
    digest = nacl_hash.blake2b(dh + reader_public + writer_public, digest_size=64, encoder=encoding.RawEncoder)
    return digest[:32]


def seal(key, plaintext):
    nonce = os.urandom(NONCE)
    return nonce + bindings.crypto_aead_chacha20poly1305_ietf_encrypt(plaintext, None, nonce, key)


def keygen(secret_path, public_path):
    secret = os.urandom(32)
    public = bindings.crypto_scalarmult_base(secret)
    def string(value):
        return struct.pack(">H", len(value)) + value
    blob = b"c4gh-v1" + string(b"none") + string(b"none") + string(secret) + string(b"reference test key")
    with open(secret_path, "w") as out:
        out.write("-----BEGIN CRYPT4GH PRIVATE KEY-----\n" + base64.b64encode(blob).decode() + "\n-----END CRYPT4GH PRIVATE KEY-----\n")
    with open(public_path, "w") as out:
        out.write("-----BEGIN CRYPT4GH PUBLIC KEY-----\n" + base64.b64encode(public).decode() + "\n-----END CRYPT4GH PUBLIC KEY-----\n")


def encrypt(public_path, source, out, edit_list):
    reader_public = armoured(public_path, "CRYPT4GH PUBLIC KEY")
    writer_secret = os.urandom(32)
    writer_public = bindings.crypto_scalarmult_base(writer_secret)
    key = shared_key(bindings.crypto_scalarmult(writer_secret, reader_public), reader_public, writer_public)
    data_key = os.urandom(32)
    payloads = [struct.pack("<II", 0, 0) + data_key]
    if edit_list:
        payloads.append(struct.pack("<II", 1, len(edit_list)) + b"".join(struct.pack("<Q", n) for n in edit_list))
    out.write(b"crypt4gh" + struct.pack("<II", 1, len(payloads)))
    for payload in payloads:
        body = struct.pack("<I", 0) + writer_public + seal(key, payload)
        out.write(struct.pack("<I", 4 + len(body)) + body)
    while True:
        segment = source.read(SEGMENT)
        if not segment:
            break
        out.write(seal(data_key, segment))


def apply_edit_list(edit_list, plaintext_segments):
    # The spec's ApplyEditList, streamed: alternate discard and keep; a last lone discard keeps the rest.
    if not edit_list:
        yield from plaintext_segments
        return
    edits = list(edit_list)
    skip, keep = 0, 0
    def next_edit():
        nonlocal skip, keep
        skip = edits.pop(0)
        keep = edits.pop(0) if edits else None
    next_edit()
    for data in plaintext_segments:
        while data:
            if skip:
                taken = min(skip, len(data))
                data, skip = data[taken:], skip - taken
            elif keep is None:
                yield data
                data = b""
            elif keep:
                taken = min(keep, len(data))
                yield data[:taken]
                data, keep = data[taken:], keep - taken
            elif edits:
                next_edit()
            else:
                return


def decrypt(secret_path, source, out):
    reader_secret, reader_public = read_secret_key(secret_path)
    preamble = source.read(16)
    if preamble[:8] != b"crypt4gh" or struct.unpack("<I", preamble[8:12])[0] != 1:
        fail("not a Crypt4GH v1 stream")
    (count,) = struct.unpack("<I", preamble[12:16])
    data_keys, edit_list = [], None
    for _ in range(count):
        (length,) = struct.unpack("<I", source.read(4))
        body = source.read(length - 4)
        (method,) = struct.unpack("<I", body[:4])
        if method != 0:
            continue
        writer_public, nonce, sealed = body[4:36], body[36:48], body[48:]
        key = shared_key(bindings.crypto_scalarmult(reader_secret, writer_public), reader_public, writer_public)
        try:
            payload = bindings.crypto_aead_chacha20poly1305_ietf_decrypt(sealed, None, nonce, key)
        except Exception:
            continue
        packet_type, = struct.unpack("<I", payload[:4])
        if packet_type == 0:
            if struct.unpack("<I", payload[4:8])[0] != 0:
                fail("unknown data encryption method")
            data_keys.append(payload[8:40])
        elif packet_type == 1:
            if edit_list is not None:
                fail("two edit lists")
            (number,) = struct.unpack("<I", payload[4:8])
            edit_list = [struct.unpack("<Q", payload[8 + 8 * i:16 + 8 * i])[0] for i in range(number)]
        else:
            fail(f"unknown packet type {packet_type}")
    if not data_keys:
        fail("no packet for this key")

    def segments():
        index = 0
        while True:
            segment = source.read(SEGMENT + NONCE + MAC)
            if not segment:
                return
            for key in data_keys:
                try:
                    yield bindings.crypto_aead_chacha20poly1305_ietf_decrypt(segment[NONCE:], None, segment[:NONCE], key)
                    break
                except Exception:
                    pass
            else:
                fail(f"segment {index} fails authentication")
            index += 1

    for part in apply_edit_list(edit_list, segments()):
        out.write(part)


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "keygen":
        keygen(sys.argv[2], sys.argv[3])
    elif command == "encrypt":
        with open(sys.argv[3], "rb") as source, open(sys.argv[4], "wb") as out:
            encrypt(sys.argv[2], source, out, [int(n) for n in sys.argv[5].split(",")] if len(sys.argv) > 5 else None)
    elif command == "decrypt":
        with open(sys.argv[3], "rb") as source, open(sys.argv[4], "wb") as out:
            decrypt(sys.argv[2], source, out)
    else:
        fail(__doc__)
