#!/usr/bin/env python3
"""Writes a synthetic, sorted, multi-sample VCF (plain text) to stdout with a fixed seed.

Used by bench/beacon.sh (200,000 variants x 100 samples) and by the Beacon tests (small files). Nothing in it is real:
random bases, random genotypes with a skewed allele-frequency spectrum (most variants rare, as in population data),
SNVs, MNVs, insertions and deletions with their VCF padding base, some multi-allelic records, some missing and phased
genotypes, and with --ann a SnpEff-style ANN field on every record naming made-up genes so that gene queries have
something to find. With --annotated the ANN is written as SnpEff writes it for real genes: every transcript of the
gene (most made-up genes have two or three) gets its own entry with effect, impact, exon or intron rank, transcript
and protein HGVS, cDNA/CDS/protein positions and lengths, and some records also an upstream/downstream entry of the
next gene or a warning; it is drawn from a second random stream, so the variants and genotypes are those of the same
seed without it. With --phased every record is phased ("0|1", "1|0"), as from a phasing pipeline; otherwise one record
in ten is. The other random choices do not depend on --phased: the same seed gives the same variants and carriers.

usage: synthetic-vcf.py VARIANTS SAMPLES [--seed N] [--ann | --annotated] [--phased] [--chromosomes 1,2,...]
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
    parser.add_argument("--annotated", action="store_true")
    parser.add_argument("--phased", action="store_true")
    parser.add_argument("--chromosomes", default="1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22")
    args = parser.parse_args()
    if args.ann and args.annotated:
        parser.error("--ann and --annotated exclude each other")
    rng = random.Random(args.seed)
    annotation_rng = random.Random(args.seed * 7919 + 1)
    genes = {}
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
    if args.ann or args.annotated:
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
            if args.annotated:
                gene = genes.get((chrom, gene_index))
                if gene is None:
                    gene = genes[(chrom, gene_index)] = Gene(annotation_rng, chrom, gene_index)
                neighbour = genes.get((chrom, gene_index + 1))
                if neighbour is None:
                    neighbour = genes[(chrom, gene_index + 1)] = Gene(annotation_rng, chrom, gene_index + 1)
                info += ";ANN=" + snpeff_annotation(annotation_rng, gene, neighbour, pos, ref, alts)
            w("chr%s\t%d\t.\t%s\t%s\t50\tPASS\t%s\tGT\t%s\n" % (chrom, pos, ref, ",".join(alts), info, "\t".join(genotypes)))
            pos += len(ref)


IMPACT = {"missense_variant": "MODERATE", "synonymous_variant": "LOW", "stop_gained": "HIGH",
          "splice_region_variant&synonymous_variant": "LOW", "frameshift_variant": "HIGH",
          "disruptive_inframe_deletion": "MODERATE", "inframe_insertion": "MODERATE", "intron_variant": "MODIFIER",
          "splice_region_variant&intron_variant": "LOW", "3_prime_UTR_variant": "MODIFIER",
          "5_prime_UTR_variant": "MODIFIER", "upstream_gene_variant": "MODIFIER", "downstream_gene_variant": "MODIFIER"}
WARNINGS = ["WARNING_TRANSCRIPT_INCOMPLETE", "WARNING_TRANSCRIPT_NO_START_CODON", "INFO_REALIGN_3_PRIME"]
COMPLEMENT = str.maketrans("ACGT", "TGCA")


class Gene:
    """A made-up gene of the --annotated ANN: its ids, strand and transcripts (id, exons, CDS offset and length)."""

    def __init__(self, rng, chrom, index):
        self.name = "SYN%s_%d" % (chrom, index)
        self.gene_id = "ENSG%011d" % (int(chrom) * 100000 + index if chrom.isdigit() else 9900000 + index)
        self.reverse = rng.random() < 0.5
        count = rng.choices([1, 2, 3, 4], weights=[2, 4, 3, 1])[0]
        self.transcripts = []
        for k in range(count):
            exons = rng.randint(3, 28)
            cds_length = 3 * rng.randint(120, 2400)
            self.transcripts.append(("ENST%011d.%d" % (rng.randint(1, 700000), rng.randint(1, 12)), exons,
                                     rng.randint(0, 400), cds_length, cds_length + rng.randint(200, 4000)))


def snpeff_annotation(rng, gene, neighbour, pos, ref, alts):
    """ANN for one record: per ALT, one entry per transcript of the gene, sometimes one for a neighbouring gene."""
    entries = []
    region = rng.choices(["exon", "intron", "utr3", "utr5", "flank"], weights=[30, 45, 10, 5, 10])[0]
    offset = rng.randint(0, 2000)
    for alt in alts:
        snv = len(ref) == 1 and len(alt) == 1
        mnv = len(ref) == len(alt) and not snv
        for transcript, exons, utr5, cds_length, cdna_length in gene.transcripts:
            # Transcripts see one position at different places: their CDS starts differ.
            cds = (pos // 7 + offset + utr5) % cds_length + 1
            ref_base = ref.translate(COMPLEMENT)[::-1] if gene.reverse else ref
            alt_base = alt.translate(COMPLEMENT)[::-1] if gene.reverse else alt
            aa = (cds + 2) // 3
            rank = "%d/%d" % (min(exons, 1 + cds * exons // cds_length), exons)
            protein = ""
            cdna = "%d/%d" % (cds + utr5, cdna_length)
            cds_field = "%d/%d" % (cds, cds_length)
            aa_field = "%d/%d" % (aa, cds_length // 3)
            distance = ""
            kind = region if rng.random() < 0.85 else rng.choice(["exon", "intron"])
            if kind == "exon":
                if snv:
                    effect = rng.choices(["missense_variant", "synonymous_variant", "stop_gained",
                                          "splice_region_variant&synonymous_variant"], weights=[60, 32, 3, 5])[0]
                    hgvs_c = "c.%d%s>%s" % (cds, ref_base, alt_base)
                    first = rng.choice(AMINO)
                    if effect == "missense_variant":
                        protein = "p.%s%d%s" % (first, aa, rng.choice([a for a in AMINO if a != first]))
                    elif effect == "stop_gained":
                        protein = "p.%s%d*" % (first, aa)
                    else:
                        protein = "p.%s%d%s" % (first, aa, first)
                elif mnv:
                    effect = "missense_variant"
                    hgvs_c = "c.%d_%ddelins%s" % (cds, cds + len(ref) - 1, alt_base)
                    protein = "p.%s%d%s" % (rng.choice(AMINO), aa, rng.choice(AMINO))
                elif len(ref) > len(alt):
                    deleted = ref_base[1:] if not gene.reverse else ref_base[:-1]
                    inframe = len(deleted) % 3 == 0
                    effect = "disruptive_inframe_deletion" if inframe else "frameshift_variant"
                    hgvs_c = ("c.%ddel%s" % (cds + 1, deleted) if len(deleted) == 1
                              else "c.%d_%ddel%s" % (cds + 1, cds + len(deleted), deleted))
                    protein = ("p.%s%ddel" % (rng.choice(AMINO), aa) if inframe
                               else "p.%s%dfs" % (rng.choice(AMINO), aa))
                else:
                    inserted = alt_base[1:] if not gene.reverse else alt_base[:-1]
                    inframe = len(inserted) % 3 == 0
                    effect = "inframe_insertion" if inframe else "frameshift_variant"
                    hgvs_c = "c.%d_%dins%s" % (cds, cds + 1, inserted)
                    protein = ("p.%s%d_%s%dins%s" % (rng.choice(AMINO), aa, rng.choice(AMINO), aa + 1, rng.choice(AMINO))
                               if inframe else "p.%s%dfs" % (rng.choice(AMINO), aa))
            else:
                cdna = cds_field = aa_field = ""
                change = "%s>%s" % (ref_base, alt_base) if snv else ("del" if len(ref) > len(alt) else "ins") + (
                    alt_base[1:] if len(alt) > len(ref) else ref_base[1:])
                if kind == "intron":
                    effect = "intron_variant" if rng.random() < 0.95 else "splice_region_variant&intron_variant"
                    rank = "%d/%d" % (min(exons - 1, 1 + cds * exons // cds_length), exons - 1)
                    hgvs_c = "c.%d%s%d%s" % (cds, rng.choice("+-"), rng.randint(3, 5000), change)
                elif kind == "utr3":
                    effect = "3_prime_UTR_variant"
                    rank = "%d/%d" % (exons, exons)
                    hgvs_c = "c.*%d%s" % (offset + 1, change)
                    distance = str(offset + 1)
                elif kind == "utr5":
                    effect = "5_prime_UTR_variant"
                    rank = "1/%d" % exons
                    hgvs_c = "c.-%d%s" % (offset % utr5 + 1 if utr5 else 1, change)
                    distance = str(offset % utr5 + 1 if utr5 else 1)
                else:
                    effect = "upstream_gene_variant" if rng.random() < 0.5 else "downstream_gene_variant"
                    rank = ""
                    distance = str(rng.randint(1, 5000))
                    hgvs_c = ("c.-%s%s" if effect == "upstream_gene_variant" else "c.*%s%s") % (distance, change)
            warning = rng.choice(WARNINGS) if rng.random() < 0.04 else ""
            entries.append("%s|%s|%s|%s|%s|transcript|%s|protein_coding|%s|%s|%s|%s|%s|%s|%s|%s" % (
                alt, effect, IMPACT[effect], gene.name, gene.gene_id, transcript, rank, hgvs_c, protein, cdna,
                cds_field, aa_field, distance, warning))
        if neighbour is not None and rng.random() < 0.15:
            # The next gene lies a few kb downstream: SnpEff names it with its first transcript.
            distance = rng.randint(200, 5000)
            entries.append("%s|downstream_gene_variant|MODIFIER|%s|%s|transcript|%s|protein_coding||c.*%d%s>%s|||||%d|"
                           % (alt, neighbour.name, neighbour.gene_id, neighbour.transcripts[0][0], distance, ref[0],
                              alt[0], distance))
    return ",".join(entries)


if __name__ == "__main__":
    main()
