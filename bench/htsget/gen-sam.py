#!/usr/bin/env python3
"""Writes a deterministic, coordinate-sorted SAM of synthetic 150 bp reads to stdout.

usage: gen-sam.py READS [SEED]

Reads are spread evenly over three references (chr1..chr3) in coordinate order, with pseudo-random bases, qualities,
strands and gaps, so the BAM made from it is about as incompressible as real sequencing data. Same READS and SEED
give the same bytes on every machine (Python's Mersenne Twister is stable across versions).
"""
import random
import sys

READ_LENGTH = 150
REFERENCES = [("chr1", 248_956_422), ("chr2", 242_193_529), ("chr3", 198_295_559)]
BASES = bytes.maketrans(bytes(range(256)), (b"ACGT" * 64))
QUALITIES = bytes.maketrans(bytes(range(256)), bytes((33 + 2 + i % 40) for i in range(256)))
BATCH = 4096


def main() -> None:
    reads = int(sys.argv[1])
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 20261123)
    out = sys.stdout.buffer
    header = ["@HD\tVN:1.6\tSO:coordinate"]
    header += [f"@SQ\tSN:{name}\tLN:{length}" for name, length in REFERENCES]
    header.append("@RG\tID:bench\tSM:synthetic\tPL:ILLUMINA")
    header.append("@PG\tID:gen-sam\tPN:gen-sam.py\tCL:bench/htsget/gen-sam.py")
    out.write(("\n".join(header) + "\n").encode())

    per_reference = [reads // len(REFERENCES)] * len(REFERENCES)
    per_reference[0] += reads - sum(per_reference)
    number = 0
    for (name, length), count in zip(REFERENCES, per_reference):
        span = length - READ_LENGTH - 1
        mean_gap = span / max(count, 1)
        position = 1.0
        done = 0
        while done < count:
            n = min(BATCH, count - done)
            seqs = rng.randbytes(n * READ_LENGTH).translate(BASES)
            quals = rng.randbytes(n * READ_LENGTH).translate(QUALITIES)
            lines = []
            for i in range(n):
                position += rng.random() * 2 * mean_gap
                pos = min(int(position), span)
                flag = 16 if rng.random() < 0.5 else 0
                s = i * READ_LENGTH
                lines.append(
                    b"r%09d\t%d\t%s\t%d\t60\t150M\t*\t0\t0\t%s\t%s\tRG:Z:bench\n"
                    % (number, flag, name.encode(), pos, seqs[s:s + READ_LENGTH], quals[s:s + READ_LENGTH]))
                number += 1
            out.write(b"".join(lines))
            done += n


if __name__ == "__main__":
    main()
