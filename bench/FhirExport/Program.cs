using System.Globalization;
using GenomeNode.Bench.FhirExport;

// fhir-export INDIVIDUALS SEED DIRECTORY: a synthetic FHIR R4 bulk export (one NDJSON file per resource type).
if (args.Length != 3 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var individuals) || !int.TryParse(args[1], CultureInfo.InvariantCulture, out var seed))
{
    await Console.Error.WriteLineAsync("usage: FhirExport INDIVIDUALS SEED DIRECTORY");
    return 2;
}

var counts = SyntheticFhirExport.Write(args[2], individuals, seed);
Console.WriteLine(string.Join(' ', counts.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key}={c.Value}"))));
return 0;
