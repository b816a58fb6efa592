using System.Reflection;
using System.Reflection.Emit;
using System.Xml.Linq;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// The dependency rules of docs/architecture.md, checked on the project files and on the compiled assemblies (which
/// reference only what their code uses): dependencies point one way, and the pure cores use neither DuckDB nor ASP.NET Core.
/// </summary>
public sealed class DependencyRulesTests
{
    /// <summary>Each project and the projects it may reference.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Storage"] = [],
        ["DataUseOntology"] = ["Storage"],
        ["Passport"] = ["Storage", "DataUseOntology"],
        ["Htsget"] = ["Storage", "Passport"],
        ["Beacon"] = ["Storage", "Passport", "DataUseOntology"],
        ["Committee"] = ["Storage", "Passport", "DataUseOntology"],
        ["Broker"] = ["Storage", "Passport"],
        // The Beacon network answers the node's part through the node's own /api endpoint, found by its route.
        ["Federation"] = [],
        ["Node.Host"] = ["Storage", "DataUseOntology", "Passport", "Committee", "Htsget", "Beacon", "Broker", "Federation"],
    };

    /// <summary>Namespaces of plain protocol and format logic: tested without a database or HTTP, they must not use either.</summary>
    public static TheoryData<string, string> PureCores => new()
    {
        { "GenomeNode.Htsget", "GenomeNode.Htsget.Formats" },
        { "GenomeNode.Htsget", "GenomeNode.Htsget.Planning" },
        { "GenomeNode.DataUseOntology", "GenomeNode.DataUseOntology.Matching" },
        { "GenomeNode.Passport", "GenomeNode.Passport.Visas" },
        { "GenomeNode.Passport", "GenomeNode.Passport.Rdf" },
        { "GenomeNode.Committee", "GenomeNode.Committee.Workflow" },
        { "GenomeNode.Beacon", "GenomeNode.Beacon.Requests" },
        { "GenomeNode.Beacon", "GenomeNode.Beacon.Vcf" },
        { "GenomeNode.Federation", "GenomeNode.Federation.Merging" },
    };

    private static readonly string[] ForbiddenInPureCores = ["DuckDB.NET", "Microsoft.AspNetCore"];

    [Theory]
    [MemberData(nameof(Projects))]
    public void A_project_references_only_the_projects_its_layer_allows_and_uses_each(string project)
    {
        var declared = ProjectReferences(project);

        Assert.Empty(declared.Except(Allowed[project]));
        var assembly = Assembly.Load(AssemblyName(project));
        var used = assembly.GetReferencedAssemblies().Select(name => name.Name!).Where(name => name.StartsWith("GenomeNode.", StringComparison.Ordinal)
            || name == "genome-node").ToHashSet(StringComparer.Ordinal);
        Assert.Equal(declared.Select(AssemblyName).Order(StringComparer.Ordinal), used.Order(StringComparer.Ordinal));
    }

    public static TheoryData<string> Projects => new(Allowed.Keys);

    [Fact]
    public void No_module_references_the_host_and_Beacon_and_Htsget_never_reference_each_other()
    {
        foreach (var module in Allowed.Keys.Where(project => project != "Node.Host"))
        {
            Assert.DoesNotContain("Node.Host", Allowed[module]);
        }

        Assert.DoesNotContain("Htsget", Allowed["Beacon"]);
        Assert.All(["Beacon", "Htsget", "DataUseOntology"], module => Assert.DoesNotContain(module, Allowed["Broker"]));
        Assert.DoesNotContain("Beacon", Allowed["Htsget"]);
        Assert.Empty(Allowed["Federation"]);
    }

    [Theory]
    [MemberData(nameof(PureCores))]
    public void A_pure_core_uses_neither_DuckDB_nor_ASP_NET_Core(string assemblyName, string ns)
    {
        var types = Assembly.Load(assemblyName).GetTypes().Where(type => type.Namespace == ns || type.Namespace?.StartsWith(ns + ".", StringComparison.Ordinal) == true).ToList();
        Assert.NotEmpty(types);

        var uses = types.SelectMany(type => UsedTypes(type).Select(used => (type, used)))
            .Where(pair => ForbiddenInPureCores.Any(prefix => pair.used.Assembly.GetName().Name!.StartsWith(prefix, StringComparison.Ordinal)))
            .Select(pair => $"{pair.type.FullName} uses {pair.used.FullName}")
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.Empty(uses);
    }

    [Fact]
    public void The_check_of_pure_cores_sees_a_type_used_only_inside_a_method_body() =>
        Assert.Contains(UsedTypes(typeof(UsesDuckDbInsideABody)), type => type == typeof(DuckDB.NET.Data.DuckDBConnection));

    private static string AssemblyName(string project) => project == "Node.Host" ? "genome-node" : $"GenomeNode.{project}";

    private static List<string> ProjectReferences(string project)
    {
        var file = Path.Combine(RepositoryRoot(), project, $"{project}.csproj");
        return XDocument.Load(file).Descendants("ProjectReference")
            .Select(reference => Path.GetFileNameWithoutExtension(reference.Attribute("Include")!.Value))
            .ToList();
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GenomeNode.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("GenomeNode.slnx not found above the test's directory");
    }

    /// <summary>Every type a type's declarations and method bodies name (generic arguments and element types included).</summary>
    private static HashSet<Type> UsedTypes(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var used = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null || t.IsGenericParameter || !used.Add(t))
            {
                return;
            }

            if (t.HasElementType)
            {
                Add(t.GetElementType());
            }

            if (t.IsGenericType)
            {
                foreach (var argument in t.GetGenericArguments())
                {
                    Add(argument);
                }
            }
        }

        Add(type.BaseType);
        foreach (var implemented in type.GetInterfaces())
        {
            Add(implemented);
        }

        foreach (var field in type.GetFields(all))
        {
            Add(field.FieldType);
        }

        foreach (var property in type.GetProperties(all))
        {
            Add(property.PropertyType);
        }

        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            if (method is MethodInfo info)
            {
                Add(info.ReturnType);
            }

            foreach (var parameter in method.GetParameters())
            {
                Add(parameter.ParameterType);
            }

            var body = method.GetMethodBody();
            if (body is null)
            {
                continue;
            }

            foreach (var local in body.LocalVariables)
            {
                Add(local.LocalType);
            }

            foreach (var member in ReferencedMembers(method.Module, body.GetILAsByteArray() ?? []))
            {
                Add(member as Type ?? member.DeclaringType);
                switch (member)
                {
                    case FieldInfo field:
                        Add(field.FieldType);
                        break;
                    case MethodInfo called:
                        Add(called.ReturnType);
                        break;
                }
            }
        }

        foreach (var nested in type.GetNestedTypes(all))
        {
            used.UnionWith(UsedTypes(nested));
        }

        return used;
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value);

    /// <summary>The members (methods, fields, types) a method body's instructions name by token.</summary>
    private static IEnumerable<MemberInfo> ReferencedMembers(Module module, byte[] il)
    {
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE)
            {
                value = unchecked((short)(0xFE00 | il[position++]));
            }

            var code = OpCodesByValue[value];
            switch (code.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    var token = BitConverter.ToInt32(il, position);
                    position += 4;
                    MemberInfo? member = null;
                    try
                    {
                        member = module.ResolveMember(token);
                    }
                    catch (ArgumentException)
                    {
                        // A member of a generic type or method needs its instantiation to resolve; its declaring type is named elsewhere.
                    }

                    if (member is not null)
                    {
                        yield return member;
                    }

                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    position += 1;
                    break;
                case OperandType.InlineVar:
                    position += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    position += 8;
                    break;
                case OperandType.InlineSwitch:
                    position += 4 + (4 * BitConverter.ToInt32(il, position));
                    break;
                default:
                    position += 4;
                    break;
            }
        }
    }

    /// <summary>Names DuckDB only inside a method body: what the check of pure cores must still see.</summary>
    private static class UsesDuckDbInsideABody
    {
        public static string Name() => nameof(DuckDB.NET.Data.DuckDBConnection) + new DuckDB.NET.Data.DuckDBConnection().ConnectionString;
    }
}
