#!/usr/bin/env python3
"""Generate the Genome Node's built-in SYNTHETIC demo dataset.

Everything written here is invented: no real person's data is involved.
Reference bases come from a random sequence (not the GRCh38 sequence), only
the coordinates, gene symbols and Ensembl ids are real, and the SnpEff-style
annotations are made up to look plausible.

Outputs (in data/ next to this script):
  demo.vcf.gz, demo.vcf.gz.tbi   50 samples, ~3,000 variants on chr17 and chr22
  individuals.json               Beacon v2 individuals for the 50 samples
  demo.bam, demo.bam.bai         reads of sample DEMO-0001 over BRCA1 and CHEK2

The run is deterministic (fixed seed, no timestamps, samtools --no-PG), so
running it twice gives byte-identical files.

Needs Python 3.11+ (standard library only) and samtools, bcftools, bgzip,
tabix on PATH (Debian: apt-get install samtools bcftools tabix).

Usage:
  python3 Node.Host/Demo/generate-demo.py [--out DIR] [--reference-fasta FILE]
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SEED = 1_000_000  # "1+ Million Genomes"; change it and every output changes
SCRIPT_NAME = "Node.Host/Demo/generate-demo.py"

CONTIGS = {"chr17": 83_257_441, "chr22": 50_818_468}  # GRCh38 lengths
SAMPLES = [f"DEMO-{i:04d}" for i in range(1, 51)]
BAM_SAMPLE = "DEMO-0001"

# The README's example query: chr17:43045712 G>A (VCF POS, 1-based) inside BRCA1.
KEY_VARIANT = ("chr17", 43_045_712, "G", "A")
KEY_VARIANT_CARRIERS = 6  # DEMO-0001 plus five others, all heterozygous

# Flanking sequence generated around each region so reads may hang over its ends.
FLANK = 1_000

SAMPLE_INDEX = {name: i for i, name in enumerate(SAMPLES)}
DNA_COMPLEMENT = str.maketrans("ACGTN", "TGCAN")
AMINO_ACIDS = ["Ala", "Arg", "Asn", "Asp", "Cys", "Gln", "Glu", "Gly", "His", "Ile",
               "Leu", "Lys", "Met", "Phe", "Pro", "Ser", "Thr", "Trp", "Tyr", "Val"]


@dataclass(frozen=True)
class Gene:
    symbol: str
    gene_id: str        # real Ensembl gene id
    transcript_id: str  # real Ensembl canonical transcript id
    strand: str
    protein_length: int  # amino acids
    exon_count: int

    @property
    def cds_length(self) -> int:
        return (self.protein_length + 1) * 3  # + stop codon

    @property
    def utr5_length(self) -> int:
        return 120  # invented; only used to make cDNA positions look plausible

    @property
    def cdna_length(self) -> int:
        return self.utr5_length + self.cds_length + 1_500


@dataclass
class Region:
    name: str
    chrom: str
    start: int          # 1-based inclusive
    end: int            # 1-based inclusive
    variant_count: int
    gene: Gene | None = None
    in_bam: bool = False
    sequence: str = ""  # covers start-FLANK .. end+FLANK

    @property
    def seq_start(self) -> int:
        return self.start - FLANK

    def ref(self, pos: int, length: int = 1) -> str:
        """Reference bases at 1-based pos."""
        i = pos - self.seq_start
        return self.sequence[i:i + length]


@dataclass
class Variant:
    chrom: str
    pos: int
    ref: str
    alts: list[str]
    region: Region
    site_class: str = "intergenic"
    annotations: list[str] = field(default_factory=list)
    high_impact: list[bool] = field(default_factory=list)
    genotypes: list[tuple[int, int] | None] = field(default_factory=list)  # None = ./.
    depths: list[int] = field(default_factory=list)
    qual: float = 0.0
    filter: str = "PASS"

    @property
    def end(self) -> int:
        return self.pos + len(self.ref) - 1


# GRCh38 gene spans from the brief; strands, protein lengths and exon counts of
# the canonical transcripts. Variant counts add up to 3,000 with the intergenic ones.
REGIONS = [
    Region("TP53", "chr17", 7_668_402, 7_687_550, 200,
           Gene("TP53", "ENSG00000141510", "ENST00000269305", "-", 393, 11)),
    Region("ERBB2", "chr17", 39_687_914, 39_730_426, 350,
           Gene("ERBB2", "ENSG00000141736", "ENST00000269571", "+", 1255, 27)),
    Region("BRCA1", "chr17", 43_044_295, 43_125_483, 699,  # + the key variant = 700
           Gene("BRCA1", "ENSG00000012048", "ENST00000357654", "-", 1863, 23), in_bam=True),
    Region("COMT", "chr22", 19_941_740, 19_969_975, 250,
           Gene("COMT", "ENSG00000093010", "ENST00000361682", "+", 271, 6)),
    Region("CHEK2", "chr22", 28_687_743, 28_742_422, 450,
           Gene("CHEK2", "ENSG00000183765", "ENST00000404276", "-", 543, 15), in_bam=True),
    Region("NF2", "chr22", 29_603_556, 29_698_600, 750,
           Gene("NF2", "ENSG00000186575", "ENST00000338641", "+", 595, 17)),
    # Intergenic windows: labelled intergenic_region without flanking gene names,
    # so the demo never attaches an invented gene to them.
    Region("intergenic-17a", "chr17", 20_100_001, 20_120_000, 75),
    Region("intergenic-17b", "chr17", 60_500_001, 60_520_000, 75),
    Region("intergenic-22a", "chr22", 24_500_001, 24_520_000, 75),
    Region("intergenic-22b", "chr22", 45_500_001, 45_520_000, 75),
]

ANN_HEADER = (
    '##INFO=<ID=ANN,Number=.,Type=String,Description="Functional annotations: '
    "'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | "
    "Feature_ID | Transcript_BioType | Rank | HGVS.c | HGVS.p | cDNA.pos / cDNA.length | "
    "CDS.pos / CDS.length | AA.pos / AA.length | Distance | ERRORS / WARNINGS / INFO'\">"
)


# --------------------------------------------------------------------------- reference

def build_reference(region: Region) -> None:
    """Random but reproducible sequence per region (human-like ~41% GC)."""
    rng = random.Random(f"{SEED}:{region.chrom}:{region.name}")
    length = region.end - region.start + 1 + 2 * FLANK
    seq = rng.choices("ACGT", weights=[29, 21, 21, 29], k=length)
    region.sequence = "".join(seq)
    chrom, pos, ref, _ = KEY_VARIANT
    if region.chrom == chrom and region.start <= pos <= region.end:
        i = pos - region.seq_start
        region.sequence = region.sequence[:i] + ref + region.sequence[i + 1:]


def random_bases(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("ACGT") for _ in range(n))


def other_base(rng: random.Random, base: str) -> str:
    return rng.choice([b for b in "ACGT" if b != base])


TRANSITION = {"A": "G", "G": "A", "C": "T", "T": "C"}


def snv_alt(rng: random.Random, base: str) -> str:
    """Transitions twice as often as transversions (Ts/Tv ~2, like real data)."""
    if rng.random() < 0.67:
        return TRANSITION[base]
    return rng.choice([b for b in "ACGT" if b not in (base, TRANSITION[base])])


# --------------------------------------------------------------------------- alleles

def indel_length(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.5:
        return 1
    if r < 0.7:
        return 2
    if r < 0.8:
        return 3
    return rng.randint(4, 10)


def make_deletion(region: Region, pos: int, rng: random.Random) -> tuple[str, str] | None:
    ref = region.ref(pos, indel_length(rng) + 1)
    # Left-aligned only if the last deleted base differs from the padding base.
    if ref[-1] == ref[0]:
        return None
    return ref, ref[0]


def make_insertion(region: Region, pos: int, rng: random.Random) -> tuple[str, str]:
    pad = region.ref(pos)
    inserted = random_bases(rng, indel_length(rng))
    # Left-aligned only if the inserted sequence does not end with the padding base.
    if inserted[-1] == pad:
        inserted = inserted[:-1] + other_base(rng, pad)
    return pad, pad + inserted


def make_alleles(kind: str, region: Region, pos: int, rng: random.Random):
    """REF and ALT list for one record, REF always read from the region sequence."""
    base = region.ref(pos)
    if kind == "snv":
        return base, [snv_alt(rng, base)]
    if kind == "mnv":
        ref = region.ref(pos, rng.choice([2, 2, 3]))
        return ref, ["".join(other_base(rng, b) for b in ref)]  # every base changes
    if kind == "del":
        d = make_deletion(region, pos, rng)
        return None if d is None else (d[0], [d[1]])
    if kind == "ins":
        ref, alt = make_insertion(region, pos, rng)
        return ref, [alt]
    if kind == "multi_snv":
        return base, rng.sample([b for b in "ACGT" if b != base], 2)
    if kind == "multi_del":  # e.g. REF=AT ALT=A,GT
        d = make_deletion(region, pos, rng)
        if d is None:
            return None
        ref, alt = d
        return ref, [alt, other_base(rng, ref[0]) + ref[1:]]
    if kind == "multi_ins":  # e.g. REF=A ALT=ACT,G
        ref, alt = make_insertion(region, pos, rng)
        return ref, [alt, other_base(rng, ref)]
    raise ValueError(kind)


VARIANT_KINDS = [("snv", 78), ("mnv", 3), ("del", 7), ("ins", 6),
                 ("multi_snv", 4), ("multi_del", 1), ("multi_ins", 1)]


def place_region_variants(region: Region, rng: random.Random, reserved: set[tuple[str, int]]) -> list[Variant]:
    """Random non-duplicate positions; overlapping spans are allowed (REF agrees anyway)."""
    kinds, weights = zip(*VARIANT_KINDS)
    variants: list[Variant] = []
    while len(variants) < region.variant_count:
        pos = rng.randint(region.start + 1, region.end - 12)
        if (region.chrom, pos) in reserved:
            continue
        alleles = make_alleles(rng.choices(kinds, weights)[0], region, pos, rng)
        if alleles is None:
            continue
        ref, alts = alleles
        # Keep the README's key position unambiguous: nothing else may touch it.
        key_chrom, key_pos, _, _ = KEY_VARIANT
        if region.chrom == key_chrom and pos <= key_pos <= pos + len(ref) - 1:
            continue
        reserved.add((region.chrom, pos))
        variants.append(Variant(region.chrom, pos, ref, alts, region))
    return variants


# --------------------------------------------------------------------------- annotation

def revcomp(s: str) -> str:
    return s.translate(DNA_COMPLEMENT)[::-1]


def choose_site_class(v: Variant, rng: random.Random) -> str:
    if v.region.gene is None:
        return "intergenic"
    is_indel = any(len(a) != len(v.ref) for a in v.alts)
    if is_indel:
        classes = [("intron", 82), ("coding", 4), ("utr5", 4), ("utr3", 8), ("splice", 2)]
    else:
        classes = [("intron", 62), ("coding", 20), ("utr5", 4), ("utr3", 8), ("splice", 6)]
    names, weights = zip(*classes)
    return rng.choices(names, weights)[0]


def coding_fraction(v: Variant) -> float:
    """Position along the transcript (0..1) in coding direction, from the genomic position."""
    r = v.region
    f = (v.pos - r.start) / (r.end - r.start)
    return 1.0 - f if r.gene.strand == "-" else f


def hgvs_position(site_class: str, gene: Gene, frac: float, rng: random.Random) -> tuple[str, int, int]:
    """A (kind, number, offset) c. coordinate consistent with the site class."""
    cds = min(gene.cds_length, int(frac * gene.cds_length) + 1)
    if site_class == "coding":
        return "cds", cds, 0
    if site_class == "utr5":
        return "utr5", rng.randint(1, gene.utr5_length), 0
    if site_class == "utr3":
        return "utr3", rng.randint(1, 1_400), 0
    if site_class == "splice":
        return "intron+", cds, rng.randint(1, 8)
    return ("intron+" if rng.random() < 0.5 else "intron-"), cds, rng.randint(12, 2_000)


def format_c_pos(kind: str, n: int, off: int, shift: int = 0) -> str:
    """Render a c. coordinate moved `shift` bases in coding direction."""
    if kind == "cds":
        return str(n + shift)
    if kind == "utr5":
        return f"-{n - shift}"
    if kind == "utr3":
        return f"*{n + shift}"
    if kind == "intron+":
        return f"{n}+{off + shift}"
    return f"{n + 1}-{off - shift}"  # intron-: c.N-off counts down towards the exon


def hgvs_c(prefix: str, cpos: tuple[str, int, int], ref: str, alt: str, strand: str) -> str:
    """HGVS.c for one allele in coding orientation (padding base stripped for indels)."""
    kind, n, off = cpos
    orient = revcomp if strand == "-" else (lambda s: s)
    at = lambda shift=0: format_c_pos(kind, n, off, shift)  # noqa: E731
    if len(ref) == len(alt):
        if len(ref) == 1:
            return f"{prefix}{at()}{orient(ref)}>{orient(alt)}"
        return f"{prefix}{at()}_{at(len(ref) - 1)}delins{orient(alt)}"
    if len(alt) < len(ref):
        deleted = orient(ref[1:])  # the first deleted base follows the padding base
        if len(deleted) == 1:
            return f"{prefix}{at(1)}del{deleted}"
        return f"{prefix}{at(1)}_{at(len(deleted))}del{deleted}"
    return f"{prefix}{at()}_{at(1)}ins{orient(alt[1:])}"


# Amino acids whose codons can become a stop codon (TAA, TAG, TGA) by one substitution.
STOP_PRONE = ["Arg", "Cys", "Gln", "Glu", "Gly", "Leu", "Lys", "Ser", "Trp", "Tyr"]


def coding_effect(ref: str, alt: str, aa_pos: int, strand: str, rng: random.Random) -> tuple[str, str, str]:
    """(effect, impact, HGVS.p) for a change inside the CDS."""
    ref_aa = rng.choice(AMINO_ACIDS)
    if len(ref) != len(alt):
        delta = len(alt) - len(ref)
        if delta % 3:
            return "frameshift_variant", "HIGH", f"p.{ref_aa}{aa_pos}fs"
        if delta < 0:
            return "conservative_inframe_deletion", "MODERATE", f"p.{ref_aa}{aa_pos}del"
        inserted = "".join(rng.choice(AMINO_ACIDS) for _ in range(delta // 3))
        next_aa = rng.choice(AMINO_ACIDS)
        return ("conservative_inframe_insertion", "MODERATE",
                f"p.{ref_aa}{aa_pos}_{next_aa}{aa_pos + 1}ins{inserted}")
    r = rng.random()
    coding_alt = revcomp(alt) if strand == "-" else alt
    if r < 0.03 and len(alt) == 1 and coding_alt in "TAG":  # stop codons only contain T, A, G
        return "stop_gained", "HIGH", f"p.{rng.choice(STOP_PRONE)}{aa_pos}*"
    if r < 0.45:
        return "synonymous_variant", "LOW", f"p.{ref_aa}{aa_pos}{ref_aa}"
    alt_aa = rng.choice([a for a in AMINO_ACIDS if a != ref_aa])
    return "missense_variant", "MODERATE", f"p.{ref_aa}{aa_pos}{alt_aa}"


def annotate(v: Variant, rng: random.Random) -> None:
    """One SnpEff-style ANN entry per ALT allele."""
    v.site_class = choose_site_class(v, rng)
    gene = v.region.gene
    if gene is None:
        for alt in v.alts:
            hgvs = hgvs_c("n.", ("cds", v.pos, 0), v.ref, alt, "+")
            v.annotations.append(f"{alt}|intergenic_region|MODIFIER|||intergenic_region||||{hgvs}||||||")
            v.high_impact.append(False)
        return

    frac = coding_fraction(v)
    cpos = hgvs_position(v.site_class, gene, frac, rng)
    exon_rank = min(gene.exon_count, int(frac * gene.exon_count) + 1)
    intron_rank = min(gene.exon_count - 1, int(frac * (gene.exon_count - 1)) + 1)
    for alt in v.alts:
        hgvs_p = cdna = cds = aa = ""
        if v.site_class == "coding":
            cds_pos = cpos[1]
            aa_pos = (cds_pos - 1) // 3 + 1
            effect, impact, hgvs_p = coding_effect(v.ref, alt, aa_pos, gene.strand, rng)
            cdna = f"{gene.utr5_length + cds_pos}/{gene.cdna_length}"
            cds = f"{cds_pos}/{gene.cds_length}"
            aa = f"{aa_pos}/{gene.protein_length}"
            rank = f"{exon_rank}/{gene.exon_count}"
        elif v.site_class in ("utr5", "utr3"):
            effect, impact = f"{v.site_class[3]}_prime_UTR_variant", "MODIFIER"
            rank = f"1/{gene.exon_count}" if v.site_class == "utr5" else f"{gene.exon_count}/{gene.exon_count}"
        elif v.site_class == "splice":
            if cpos[2] <= 2 and rng.random() < 0.15:
                effect, impact = "splice_donor_variant&intron_variant", "HIGH"
            else:
                effect, impact = "splice_region_variant&intron_variant", "LOW"
            rank = f"{intron_rank}/{gene.exon_count - 1}"
        else:
            effect, impact = "intron_variant", "MODIFIER"
            rank = f"{intron_rank}/{gene.exon_count - 1}"
        hgvs = hgvs_c("c.", cpos, v.ref, alt, gene.strand)
        v.annotations.append(
            f"{alt}|{effect}|{impact}|{gene.symbol}|{gene.gene_id}|transcript|{gene.transcript_id}"
            f"|protein_coding|{rank}|{hgvs}|{hgvs_p}|{cdna}|{cds}|{aa}||")
        v.high_impact.append(impact == "HIGH")


def make_key_variant(regions: list[Region]) -> Variant:
    chrom, pos, ref, alt = KEY_VARIANT
    region = next(r for r in regions if r.chrom == chrom and r.start <= pos <= r.end)
    assert region.ref(pos) == ref
    v = Variant(chrom, pos, ref, [alt], region, site_class="coding")
    gene = region.gene
    aa_pos = min(gene.protein_length, int(coding_fraction(v) * gene.protein_length) + 1)
    # G>A on the minus strand is c.C>T at a codon's first base: CGG (Arg) -> TGG (Trp).
    cds_pos = 3 * (aa_pos - 1) + 1
    v.annotations.append(
        f"{alt}|missense_variant|MODERATE|{gene.symbol}|{gene.gene_id}|transcript|{gene.transcript_id}"
        f"|protein_coding|{min(gene.exon_count, int(coding_fraction(v) * gene.exon_count) + 1)}/{gene.exon_count}"
        f"|{hgvs_c('c.', ('cds', cds_pos, 0), ref, alt, gene.strand)}|p.Arg{aa_pos}Trp"
        f"|{gene.utr5_length + cds_pos}/{gene.cdna_length}|{cds_pos}/{gene.cds_length}"
        f"|{aa_pos}/{gene.protein_length}||")
    v.high_impact.append(False)
    return v


# --------------------------------------------------------------------------- genotypes

def allele_frequencies(v: Variant, rng: random.Random) -> list[float] | None:
    """Per-ALT frequencies from rare to common; None means 'make it a singleton'."""
    if any(v.high_impact):
        return None  # damaging variants stay rare so they can tell a story
    r = rng.random()
    if r < 0.30:
        return None
    if r < 0.60:
        lo, hi = 0.005, 0.05
    elif r < 0.80:
        lo, hi = 0.05, 0.2
    else:
        lo, hi = 0.2, 0.8
    freqs = [rng.uniform(lo, hi) for _ in v.alts]
    total = sum(freqs)
    return [f / total * 0.9 for f in freqs] if total > 0.9 else freqs


def draw_allele(freqs: list[float], rng: random.Random) -> int:
    u = rng.random()
    acc = 0.0
    for i, f in enumerate(freqs, start=1):
        acc += f
        if u < acc:
            return i
    return 0


def assign_genotypes(v: Variant, rng: random.Random) -> None:
    freqs = allele_frequencies(v, rng)
    gts: list[tuple[int, int] | None] = []
    for _ in SAMPLES:
        if rng.random() < 0.01:
            gts.append(None)
        elif freqs is None:
            gts.append((0, 0))
        else:
            a, b = sorted((draw_allele(freqs, rng), draw_allele(freqs, rng)))
            gts.append((a, b))
    if freqs is None:
        gts[rng.randrange(len(SAMPLES))] = (0, 1)
    v.genotypes = gts


def ensure_every_alt_observed(v: Variant, rng: random.Random, avoid: set[int]) -> None:
    """Every ALT allele needs AC >= 1; add a heterozygous carrier where one is missing."""
    for allele in range(1, len(v.alts) + 1):
        if any(gt and allele in gt for gt in v.genotypes):
            continue
        candidates = [i for i, gt in enumerate(v.genotypes) if gt == (0, 0) and i not in avoid]
        v.genotypes[rng.choice(candidates)] = (0, allele)


def keep_bam_sample_haplotypes_consistent(variants: list[Variant], rng: random.Random) -> None:
    """The BAM sample must not carry two overlapping records (its reads could not show both)."""
    s = SAMPLE_INDEX[BAM_SAMPLE]
    carried_end: dict[str, int] = {}
    for v in variants:
        if not v.region.in_bam:
            continue
        gt = v.genotypes[s]
        if gt is None or gt == (0, 0):
            continue
        if v.pos <= carried_end.get(v.chrom, 0):
            v.genotypes[s] = (0, 0)
            ensure_every_alt_observed(v, rng, avoid={s})
        else:
            carried_end[v.chrom] = v.end


def set_key_variant_genotypes(v: Variant, rng: random.Random) -> None:
    others = rng.sample([i for i in range(len(SAMPLES)) if SAMPLES[i] != BAM_SAMPLE], KEY_VARIANT_CARRIERS - 1)
    carriers = {SAMPLE_INDEX[BAM_SAMPLE], *others}
    v.genotypes = [(0, 1) if i in carriers else (0, 0) for i in range(len(SAMPLES))]


def finish_record(v: Variant, rng: random.Random) -> None:
    """Depths, QUAL and FILTER; drawn after genotypes so they fit the carriers."""
    v.depths = [max(4, int(rng.gauss(32, 7))) for _ in SAMPLES]
    ac = sum(sum(1 for a in gt if a > 0) for gt in v.genotypes if gt)
    v.qual = 10.0 + 40.0 * ac * (0.3 + rng.random())
    # A few low-confidence singletons get a FILTER; damaging ones stay PASS for the story.
    if ac == 1 and v.qual < 30.0 and not any(v.high_impact):
        v.filter = "LowQual"


# --------------------------------------------------------------------------- VCF

def info_field(v: Variant) -> str:
    called = [gt for gt in v.genotypes if gt is not None]
    an = 2 * len(called)
    acs = [sum(gt.count(i) for gt in called) for i in range(1, len(v.alts) + 1)]
    afs = [f"{ac / an:.4g}" for ac in acs]
    return (f"AC={','.join(map(str, acs))};AN={an};AF={','.join(afs)};"
            f"ANN={','.join(v.annotations)}")


def genotype_field(gt: tuple[int, int] | None, depth: int) -> str:
    if gt is None:
        return "./.:."
    return f"{gt[0]}/{gt[1]}:{depth}"


def vcf_header() -> list[str]:
    lines = [
        "##fileformat=VCFv4.2",
        f"##source={SCRIPT_NAME}",
        f"##comment=SYNTHETIC demo data generated by {SCRIPT_NAME} (seed {SEED}). "
        "No real person's data. REF bases come from a random sequence (not GRCh38); "
        "genotypes and ANN annotations are invented.",
        "##reference=GRCh38",
    ]
    lines += [f"##contig=<ID={c},length={n},assembly=GRCh38>" for c, n in CONTIGS.items()]
    lines += [
        '##FILTER=<ID=PASS,Description="All filters passed">',
        '##FILTER=<ID=LowQual,Description="Low quality (synthetic)">',
        '##INFO=<ID=AC,Number=A,Type=Integer,Description="Allele count in genotypes, for each ALT allele">',
        '##INFO=<ID=AN,Number=1,Type=Integer,Description="Total number of alleles in called genotypes">',
        '##INFO=<ID=AF,Number=A,Type=Float,Description="Allele frequency, for each ALT allele (AC/AN)">',
        ANN_HEADER,
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
        '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">',
        "#" + "\t".join(["CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", *SAMPLES]),
    ]
    return lines


def write_vcf(variants: list[Variant], path: Path) -> None:
    with path.open("w", newline="\n") as out:
        for line in vcf_header():
            out.write(line + "\n")
        for v in variants:
            cols = [v.chrom, str(v.pos), ".", v.ref, ",".join(v.alts), f"{v.qual:.2f}", v.filter,
                    info_field(v), "GT:DP"]
            cols += [genotype_field(gt, dp) for gt, dp in zip(v.genotypes, v.depths)]
            out.write("\t".join(cols) + "\n")


# --------------------------------------------------------------------------- individuals

SEX_FEMALE = {"id": "NCIT:C16576", "label": "female"}
SEX_MALE = {"id": "NCIT:C20197", "label": "male"}
EUROPEAN = {"id": "NCIT:C43851", "label": "European"}
FINLAND = {"id": "GAZ:00002937", "label": "Finland"}
OTHER_ORIGINS = [
    {"id": "GAZ:00002729", "label": "Sweden"},
    {"id": "GAZ:00002959", "label": "Estonia"},
    {"id": "GAZ:00002699", "label": "Norway"},
    {"id": "GAZ:00005852", "label": "Denmark"},
    {"id": "GAZ:00002646", "label": "Germany"},
    {"id": "GAZ:00002946", "label": "Netherlands"},
    {"id": "GAZ:00002955", "label": "Slovenia"},
    {"id": "GAZ:00002650", "label": "Italy"},
]
BREAST_CARCINOMA = {"id": "NCIT:C4872", "label": "Breast Carcinoma"}
OVARIAN_CARCINOMA = {"id": "NCIT:C4908", "label": "Ovarian Carcinoma"}
HP_BREAST_CARCINOMA = {"id": "HP:0003002", "label": "Breast carcinoma"}
HP_OVARIAN_NEOPLASM = {"id": "HP:0100615", "label": "Ovarian neoplasm"}
HP_VESTIBULAR_SCHWANNOMA = {"id": "HP:0009588", "label": "Vestibular schwannoma"}
HP_MENINGIOMA = {"id": "HP:0002858", "label": "Meningioma"}
HP_NEOPLASM = {"id": "HP:0002664", "label": "Neoplasm"}
HP_HYPERTENSION = {"id": "HP:0000822", "label": "Hypertension"}


def damaging_carriers(variants: list[Variant], gene_symbol: str) -> set[int]:
    """Samples carrying a HIGH-impact ALT allele in the gene."""
    carriers: set[int] = set()
    for v in variants:
        if v.region.gene is None or v.region.gene.symbol != gene_symbol:
            continue
        for allele, high in enumerate(v.high_impact, start=1):
            if high:
                carriers |= {i for i, gt in enumerate(v.genotypes) if gt and allele in gt}
    return carriers


def age(rng: random.Random, lo: int, hi: int) -> dict:
    return {"iso8601duration": f"P{rng.randint(lo, hi)}Y"}


def build_individuals(variants: list[Variant], key: Variant, rng: random.Random) -> list[dict]:
    """Beacon v2 individuals whose diseases follow their (synthetic) genotypes."""
    key_carriers = {i for i, gt in enumerate(key.genotypes) if gt and 1 in gt}
    brca1_risk = key_carriers | damaging_carriers(variants, "BRCA1")
    chek2_risk = damaging_carriers(variants, "CHEK2")
    tp53_risk = damaging_carriers(variants, "TP53")
    nf2_risk = damaging_carriers(variants, "NF2")

    individuals = []
    for i, name in enumerate(SAMPLES):
        female = rng.random() < (0.85 if i in brca1_risk else 0.5)
        if name == BAM_SAMPLE:
            female = True  # the README story: DEMO-0001 is a BRCA1 carrier with breast cancer
        ind: dict = {"id": name, "sex": SEX_FEMALE if female else SEX_MALE, "ethnicity": EUROPEAN,
                     "geographicOrigin": FINLAND if rng.random() < 0.6 else rng.choice(OTHER_ORIGINS)}

        diseases, features = [], []
        family_history = i in brca1_risk and rng.random() < 0.7
        if female:
            p_breast = 0.75 if i in brca1_risk else 0.4 if i in chek2_risk else 0.08
        else:
            p_breast = 0.15 if i in brca1_risk else 0.0
        if name == BAM_SAMPLE or rng.random() < p_breast:
            onset = age(rng, 32, 60)
            diseases.append({"diseaseCode": BREAST_CARCINOMA, "ageOfOnset": onset, "familyHistory": family_history})
            features.append({"featureType": HP_BREAST_CARCINOMA, "onset": onset})
        if female and rng.random() < (0.3 if i in brca1_risk else 0.02):
            onset = age(rng, 40, 70)
            diseases.append({"diseaseCode": OVARIAN_CARCINOMA, "ageOfOnset": onset, "familyHistory": family_history})
            features.append({"featureType": HP_OVARIAN_NEOPLASM, "onset": onset})
        if i in nf2_risk:
            if rng.random() < 0.8:
                features.append({"featureType": HP_VESTIBULAR_SCHWANNOMA, "onset": age(rng, 18, 40)})
            if rng.random() < 0.3:
                features.append({"featureType": HP_MENINGIOMA, "onset": age(rng, 20, 50)})
        if i in tp53_risk and rng.random() < 0.6:
            features.append({"featureType": HP_NEOPLASM, "onset": age(rng, 5, 40)})
        if rng.random() < 0.15:
            features.append({"featureType": HP_HYPERTENSION, "onset": age(rng, 40, 70)})

        if diseases:
            ind["diseases"] = diseases
        if features:
            ind["phenotypicFeatures"] = features
        individuals.append(ind)
    return individuals


# --------------------------------------------------------------------------- BAM

READ_LENGTH = 150
FRAGMENT_MEAN, FRAGMENT_SD = 400, 60
COVERAGE = 10           # mean read depth over the BAM regions
UNMAPPED_PAIRS = 50
ERROR_RATE = 0.002
READ_GROUP = "DEMO-0001.L1"


def haplotype_variants(variants: list[Variant], region: Region, sample: int) -> list[list[tuple[int, str, str]]]:
    """Per haplotype, the sample's non-reference alleles as (0-based pos, REF, ALT)."""
    haps: list[list[tuple[int, str, str]]] = [[], []]
    for v in variants:
        if v.region is not region or v.genotypes[sample] is None:
            continue
        for h, allele in enumerate(v.genotypes[sample]):
            if allele > 0:
                haps[h].append((v.pos - 1, v.ref, v.alts[allele - 1]))
    return haps


def build_read(region: Region, start0: int, length: int, hap: list[tuple[int, str, str]],
               hap_pos: list[int]) -> tuple[int, list[list], str]:
    """Walk the reference from start0 applying haplotype alleles; returns (start0, cigar ops, seq)."""
    ops: list[list] = []
    seq: list[str] = []

    def emit(op: str, n: int, bases: str = "") -> None:
        if n <= 0:
            return
        if ops and ops[-1][0] == op:
            ops[-1][1] += n
        else:
            ops.append([op, n])
        seq.extend(bases)

    i = bisect.bisect_left(hap_pos, start0)
    if i > 0 and hap[i - 1][0] + len(hap[i - 1][1]) > start0:
        i -= 1
        start0 = hap[i][0]  # do not start inside an allele: start the read at it instead
    cur = start0
    while len(seq) < length:
        if i < len(hap) and hap[i][0] == cur:
            _, ref, alt = hap[i]
            i += 1
            if len(ref) == len(alt):
                emit("M", len(alt), alt)
            elif len(alt) > len(ref):
                emit("M", 1, alt[0])
                emit("I", len(alt) - 1, alt[1:])
            else:
                emit("M", 1, alt[0])
                emit("D", len(ref) - 1)
            cur += len(ref)
        else:
            while i < len(hap) and hap[i][0] < cur:
                i += 1  # starts inside something already emitted; cannot happen for one sample
            nxt = hap[i][0] if i < len(hap) else cur + length
            n = min(nxt - cur, length - len(seq))
            emit("M", n, region.sequence[cur + 1 - region.seq_start:cur + 1 - region.seq_start + n])
            cur += n

    # Trim the overshoot of the last allele, then tidy the read's 3' end.
    excess = len(seq) - length
    del seq[length:]
    while excess > 0 or ops[-1][0] == "D":
        op = ops[-1]
        if op[0] == "D":
            ops.pop()
            continue
        take = min(excess, op[1])
        op[1] -= take
        excess -= take
        if op[1] == 0:
            ops.pop()
    if ops[-1][0] == "I":
        ops[-1][0] = "S"  # an insertion at the very end is shown as a soft clip
        while len(ops) > 1 and ops[-2][0] == "D":
            ops.pop(-2)
    return start0, ops, "".join(seq)


def ref_span(ops: list[list]) -> int:
    return sum(n for op, n in ops if op in "MD")


def cigar_string(ops: list[list]) -> str:
    return "".join(f"{n}{op}" for op, n in ops)


def add_sequencing_errors(seq: str, rng: random.Random) -> tuple[str, str]:
    """Rare substitutions plus binned Illumina-like qualities that drop towards the 3' end."""
    bases, quals = list(seq), []
    for j in range(len(bases)):
        if rng.random() < ERROR_RATE:
            bases[j] = other_base(rng, bases[j])
            quals.append(",")
            continue
        late = j / len(bases)
        r = rng.random()
        quals.append("F" if r > 0.04 + 0.12 * late else ":" if r > 0.01 + 0.02 * late else ",")
    return "".join(bases), "".join(quals)


def sam_line(name: str, flag: int, chrom: str, pos1: int, mapq: int, cigar: str,
             mate_chrom: str, mate_pos1: int, tlen: int, seq: str, qual: str) -> str:
    return "\t".join([name, str(flag), chrom, str(pos1), str(mapq), cigar, mate_chrom, str(mate_pos1),
                      str(tlen), seq, qual, f"RG:Z:{READ_GROUP}"])


def region_read_pairs(region: Region, haps, rng: random.Random, counter: list[int]) -> list[str]:
    hap_pos = [[p for p, _, _ in h] for h in haps]
    pairs = (region.end - region.start + 1) * COVERAGE // (2 * READ_LENGTH)
    lines = []
    for _ in range(pairs):
        counter[0] += 1
        name = f"SYNTH:1:DEMOFC:1:{1101 + counter[0] // 4000}:{counter[0]:06d}"
        frag = max(READ_LENGTH + 20, int(rng.gauss(FRAGMENT_MEAN, FRAGMENT_SD)))
        left0 = rng.randint(region.start - 300, region.end - frag + 300) - 1  # 0-based
        right0 = left0 + frag - READ_LENGTH
        h = rng.randrange(2)
        l_start, l_ops, l_seq = build_read(region, left0, READ_LENGTH, haps[h], hap_pos[h])
        r_start, r_ops, r_seq = build_read(region, right0, READ_LENGTH, haps[h], hap_pos[h])
        l_seq, l_qual = add_sequencing_errors(l_seq, rng)
        r_seq, r_qual = add_sequencing_errors(r_seq, rng)
        r_qual = r_qual[::-1]  # the reverse read was sequenced from its other end
        tlen = max(l_start + ref_span(l_ops), r_start + ref_span(r_ops)) - l_start
        mapq = 60 if rng.random() < 0.95 else rng.choice([0, 3, 12, 27, 40])
        # Read 1 is the forward (left) read in about half of the pairs.
        l_flag, r_flag = (99, 147) if rng.random() < 0.5 else (163, 83)
        lines.append(sam_line(name, l_flag, region.chrom, l_start + 1, mapq, cigar_string(l_ops),
                              "=", r_start + 1, tlen, l_seq, l_qual))
        lines.append(sam_line(name, r_flag, region.chrom, r_start + 1, mapq, cigar_string(r_ops),
                              "=", l_start + 1, -tlen, r_seq, r_qual))
    return lines


def unmapped_pairs(rng: random.Random) -> list[str]:
    """Pairs that did not align anywhere (e.g. contamination); they sort to the end."""
    lines = []
    for k in range(1, UNMAPPED_PAIRS + 1):
        name = f"SYNTH:1:DEMOFC:1:2101:{k:06d}"
        for flag in (77, 141):
            seq, qual = add_sequencing_errors(random_bases(rng, READ_LENGTH), rng)
            lines.append(sam_line(name, flag, "*", 0, 0, "*", "*", 0, 0, seq, qual))
    return lines


def sam_header() -> list[str]:
    lines = ["@HD\tVN:1.6\tSO:unsorted"]
    lines += [f"@SQ\tSN:{c}\tLN:{n}" for c, n in CONTIGS.items()]
    lines += [
        f"@RG\tID:{READ_GROUP}\tSM:{BAM_SAMPLE}\tLB:{BAM_SAMPLE}-LIB1\tPL:ILLUMINA\tPU:DEMOFC.1",
        f"@PG\tID:generate-demo\tPN:generate-demo.py\tVN:1\tCL:python3 {SCRIPT_NAME}",
        f"@CO\tSYNTHETIC demo data generated by {SCRIPT_NAME} (seed {SEED}); no real person's data; "
        "reads follow a random reference sequence, not GRCh38.",
    ]
    return lines


def write_bam(variants: list[Variant], regions: list[Region], rng: random.Random, out_dir: Path) -> int:
    sample = SAMPLE_INDEX[BAM_SAMPLE]
    lines = sam_header()
    counter = [0]
    reads = 0
    for region in regions:
        if region.in_bam:
            body = region_read_pairs(region, haplotype_variants(variants, region, sample), rng, counter)
            lines += body
            reads += len(body)
    body = unmapped_pairs(rng)
    lines += body
    reads += len(body)

    bam = out_dir / "demo.bam"
    with tempfile.TemporaryDirectory() as tmp:
        sam = Path(tmp) / "demo.sam"
        sam.write_text("\n".join(lines) + "\n")
        run(["samtools", "sort", "--no-PG", "-T", str(Path(tmp) / "sort"), "-O", "bam", "-o", str(bam), str(sam)])
    run(["samtools", "index", str(bam)])
    return reads


# --------------------------------------------------------------------------- plumbing

def run(cmd: list[str], stdout=None) -> None:
    subprocess.run(cmd, check=True, stdout=stdout)


def require_tools() -> None:
    missing = [t for t in ("samtools", "bcftools", "bgzip", "tabix") if shutil.which(t) is None]
    if missing:
        sys.exit(f"missing tools: {', '.join(missing)} (Debian: apt-get install samtools bcftools tabix)")


def write_reference_fasta(regions: list[Region], path: Path) -> None:
    """Full-length chr17/chr22 FASTA: N everywhere except the synthetic regions (for checks)."""
    with path.open("w") as out:
        for chrom, length in CONTIGS.items():
            seq = bytearray(b"N" * length)
            for r in regions:
                if r.chrom == chrom:
                    seq[r.seq_start - 1:r.seq_start - 1 + len(r.sequence)] = r.sequence.encode()
            out.write(f">{chrom}\n")
            for i in range(0, length, 60):
                out.write(seq[i:i + 60].decode() + "\n")
    run(["samtools", "faidx", str(path)])


def generate_variants(rng: random.Random) -> tuple[list[Variant], Variant]:
    key_chrom, key_pos, _, _ = KEY_VARIANT
    reserved = {(key_chrom, key_pos)}
    variants: list[Variant] = []
    for region in REGIONS:
        variants += place_region_variants(region, rng, reserved)
    contig_order = list(CONTIGS)
    variants.sort(key=lambda v: (contig_order.index(v.chrom), v.pos))
    for v in variants:
        annotate(v, rng)
        assign_genotypes(v, rng)
        ensure_every_alt_observed(v, rng, avoid=set())

    key = make_key_variant(REGIONS)
    set_key_variant_genotypes(key, rng)
    variants.append(key)
    variants.sort(key=lambda v: (contig_order.index(v.chrom), v.pos))

    keep_bam_sample_haplotypes_consistent(variants, rng)
    for v in variants:
        finish_record(v, rng)
    return variants, key


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "data",
                        help="output directory (default: data/ next to this script)")
    parser.add_argument("--reference-fasta", type=Path,
                        help="also write the synthetic reference as FASTA (large; for checking REF/reads)")
    args = parser.parse_args()
    require_tools()
    args.out.mkdir(parents=True, exist_ok=True)

    for region in REGIONS:
        build_reference(region)
    rng = random.Random(SEED)
    variants, key = generate_variants(rng)

    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "demo.vcf"
        write_vcf(variants, plain)
        vcf = args.out / "demo.vcf.gz"
        with vcf.open("wb") as out:
            run(["bgzip", "-c", str(plain)], stdout=out)
    run(["tabix", "-f", "-p", "vcf", str(vcf)])

    individuals = build_individuals(variants, key, rng)
    (args.out / "individuals.json").write_text(json.dumps(individuals, indent=2) + "\n")

    reads = write_bam(variants, REGIONS, rng, args.out)

    if args.reference_fasta:
        write_reference_fasta(REGIONS, args.reference_fasta)

    carriers = [SAMPLES[i] for i, gt in enumerate(key.genotypes) if gt and 1 in gt]
    print(f"variants: {len(variants)} records, {len(SAMPLES)} samples -> {vcf}")
    print(f"individuals: {len(individuals)} -> {args.out / 'individuals.json'}")
    print(f"reads: {reads} ({BAM_SAMPLE}) -> {args.out / 'demo.bam'}")
    print(f"{key.chrom}:{key.pos} {key.ref}>{key.alts[0]} carriers: {', '.join(carriers)}")


if __name__ == "__main__":
    main()
