#!/usr/bin/env python3
"""Writes a synthetic, sorted, multi-sample VCF (plain text) to stdout with a fixed seed.

Used by bench/beacon.sh (200,000 variants x 100 samples) and by the Beacon tests (small files). Nothing in it is real:
random bases, random genotypes with a skewed allele-frequency spectrum (most variants rare, as in population data),
SNVs, MNVs, insertions and deletions with their VCF padding base, some multi-allelic records, some missing and phased
genotypes, and with --ann a SnpEff-style ANN field on every record naming made-up genes so that gene queries have
something to find. With --phased every record is phased ("0|1", "1|0"), as from a phasing pipeline; otherwise one record
in ten is. The other random choices do not depend on --phased: the same seed gives the same variants and carriers.

usage: synthetic-vcf.py VARIANTS SAMPLES [--seed N] [--ann] [--phased] [--chromosomes 1,2,...]
"""
import argparse
import random
import sys

BASES = "ACGT"
EFFECTS = ["missense_variant", "synonymous_variant", "intron_variant", "stop_gained", "3_prime_UTR_variant"]
AMINO = ["Ala", "Arg", "Asn", "Asp", "Cys", "Gln", "Glu", "Gly", "His", "Ile", "Leu", "Lys", "Met", "Phe", "Pro",
         "Ser", "Thr", "Trp", "Tyr", "Val"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("variants", type=int)
    parser.add_argument("samples", type=int)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--ann", action="store_true")
    parser.add_argument("--phased", action="store_true")
    parser.add_argument("--chromosomes", default="1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    chromosomes = args.chromosomes.split(",")
    out = sys.stdout
    w = out.write
    w("##fileformat=VCFv4.2\n")
    w("##source=genome-node bench/synthetic-vcf.py (SYNTHETIC, seed %d)\n" % args.seed)
    w("##reference=GRCh38\n")
    for chrom in chromosomes:
        w("##contig=<ID=chr%s,length=250000000>\n" % chrom)
    w('##INFO=<ID=AC,Number=A,Type=Integer,Description="Allele count">\n')
    w('##INFO=<ID=AN,Number=1,Type=Integer,Description="Allele number">\n')
    if args.ann:
        w("##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | Annotation | "
          "Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | Transcript_BioType | Rank | HGVS.c | "
          "HGVS.p | cDNA.pos / cDNA.length | CDS.pos / CDS.length | AA.pos / AA.length | Distance | ERRORS / WARNINGS / INFO'\">\n")
    w('##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n')
    samples = ["SYN%05d" % (i + 1) for i in range(args.samples)]
    w("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" + "\t".join(samples) + "\n")

    per_chrom = [args.variants // len(chromosomes)] * len(chromosomes)
    per_chrom[-1] += args.variants - sum(per_chrom)
    n = args.samples
    for chrom, count in zip(chromosomes, per_chrom):
        pos = 10000
        gene_index = 0
        for _ in range(count):
            pos += rng.randint(1, 200)
            if rng.random() < 0.002:
                gene_index += 1
            kind = rng.random()
            ref_base = rng.choice(BASES)
            if kind < 0.80:
                ref = ref_base
                alts = [rng.choice([b for b in BASES if b != ref_base])]
            elif kind < 0.85:
                length = rng.randint(2, 3)
                ref = "".join(rng.choice(BASES) for _ in range(length))
                alts = ["".join(rng.choice([b for b in BASES if b != c]) for c in ref)]
            elif kind < 0.92:
                ref = ref_base
                alts = [ref_base + "".join(rng.choice(BASES) for _ in range(rng.randint(1, 6)))]
            else:
                ref = ref_base + "".join(rng.choice(BASES) for _ in range(rng.randint(1, 6)))
                alts = [ref_base]
            if len(ref) == 1 and rng.random() < 0.06:
                extra = rng.choice([b for b in BASES if b != ref and b not in alts])
                alts.append(extra)
            frequencies = [min(0.5, 10 ** rng.uniform(-2.3, -0.3)) for _ in alts]
            phased = rng.random() < 0.1 or args.phased
            separator = "|" if phased else "/"
            genotypes = ["0" + separator + "0"] * n
            counts = [0] * len(alts)
            called = 0
            for s in range(n):
                if rng.random() < 0.005:
                    genotypes[s] = "." + separator + "."
                    continue
                called += 2
                a = b = 0
                for k, f in enumerate(frequencies):
                    if a == 0 and rng.random() < f:
                        a = k + 1
                    if b == 0 and rng.random() < f:
                        b = k + 1
                if a or b:
                    if not phased and a > b:
                        a, b = b, a
                    genotypes[s] = "%d%s%d" % (a, separator, b)
                    if a:
                        counts[a - 1] += 1
                    if b:
                        counts[b - 1] += 1
            info = "AC=%s;AN=%d" % (",".join(str(c) for c in counts), called)
            if args.ann:
                gene = "SYN%s_%d" % (chrom, gene_index)
                annotations = []
                for alt in alts:
                    effect = rng.choice(EFFECTS)
                    protein = ""
                    if effect == "missense_variant":
                        protein = "p.%s%d%s" % (rng.choice(AMINO), rng.randint(1, 900), rng.choice(AMINO))
                    annotations.append("%s|%s|MODERATE|%s|ENSG%011d|transcript|ENST%011d|protein_coding|1/1|c.%d%s>%s|%s||||||"
                                       % (alt, effect, gene, gene_index, gene_index, rng.randint(1, 3000), ref[0], alt[0], protein))
                info += ";ANN=" + ",".join(annotations)
            w("chr%s\t%d\t.\t%s\t%s\t50\tPASS\t%s\tGT\t%s\n" % (chrom, pos, ref, ",".join(alts), info, "\t".join(genotypes)))
            pos += len(ref)


if __name__ == "__main__":
    main()
