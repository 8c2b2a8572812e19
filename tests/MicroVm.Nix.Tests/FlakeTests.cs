using System.IO;
using System.Linq;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>
/// flake.nix and the flake templates, offline: every Nix file parses, and the outputs evaluate with
/// stub inputs (Nix/stub-nixpkgs.nix). The checks they declare evaluate the committed modules
/// against the real nixpkgs and microvm.nix where those can be fetched (`nix flake check`).
/// </summary>
public class FlakeTests
{
    private static string Stub => Path.Combine(RepoPaths.Root, "tests", "MicroVm.Nix.Tests", "Nix", "stub-nixpkgs.nix");

    [Test]
    public void Flake_outputs_evaluate_with_stub_inputs()
    {
        var flake = Path.Combine(RepoPaths.Root, "flake.nix");
        NixEvaluator.Parse(flake);
        var evaluated = NixEvaluator.EvalExpression($$"""
            let
              inputs = import {{Stub}};
              outputs = (import {{flake}}).outputs { self = outputs; inherit (inputs) nixpkgs microvm; };
              example = {{Path.Combine(RepoPaths.Example("Homelab"), "nix")}};
            in
            {
              shell = outputs.devShells.x86_64-linux.default;
              formatter = outputs.formatter.aarch64-linux.name;
              templates = builtins.mapAttrs (n: t: { path = toString t.path; inherit (t) description; }) outputs.templates;
              guests = builtins.mapAttrs (n: p: toString p) (outputs.lib.guestModules example);
              configurations = builtins.mapAttrs (n: c: { inherit (c) system; modules = map toString c.modules; })
                (outputs.lib.microvmConfigurations { inherit (inputs) nixpkgs microvm; dir = example; });
              checks = builtins.mapAttrs (n: c: c.script) outputs.checks.x86_64-linux;
            }
            """)!;

        Assert.That(evaluated["shell"]!["packages"]!.AsArray().Select(p => (string?)p), Is.EqualTo(new[] { "dotnet-sdk", "nix", "nixfmt" }));
        Assert.That((string?)evaluated["formatter"], Is.EqualTo("nixfmt"));
        foreach (var (name, template) in evaluated["templates"]!.AsObject())
        {
            Assert.That(Directory.Exists((string)template!["path"]!), Is.True, "template " + name);
        }

        Assert.That(evaluated["templates"]!.AsObject().Select(t => t.Key), Is.EquivalentTo(new[] { "default", "zvol" }));
        Assert.That(evaluated["guests"]!.AsObject().Select(g => (g.Key, Path.GetFileName((string)g.Value!))), Is.EqualTo(new[] { ("storage", "storage.nix") }),
            "guest modules are every generated file but the host module");
        var storage = evaluated["configurations"]!["storage"]!;
        Assert.That(storage["modules"]!.AsArray().Select(m => Path.GetFileName((string)m!)), Is.EqualTo(new[] { "microvm-guest-module", "storage.nix" }));
        Assert.That(evaluated["checks"]!.AsObject().Select(c => c.Key), Is.EquivalentTo(new[] { "example", "template-default", "template-zvol" }));
        Assert.That((string?)evaluated["checks"]!["example"], Does.Contain("/nix/store/host.drv").And.Contain("/nix/store/runner.drv"));
    }

    [Test]
    public void Guest_modules_are_the_generated_files_only()
    {
        var dir = Directory.CreateTempSubdirectory("microvm-nix-guests-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Example("Homelab"), "nix")))
            {
                File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
            }

            File.WriteAllText(Path.Combine(dir, "common.nix"), "# hand-written, imported by the VMs\n{ services.openssh.enable = true; }\n");
            var guests = NixEvaluator.EvalExpression($$"""
                let
                  inputs = import {{Stub}};
                  outputs = (import {{Path.Combine(RepoPaths.Root, "flake.nix")}}).outputs { self = outputs; inherit (inputs) nixpkgs microvm; };
                in
                builtins.attrNames (outputs.lib.guestModules {{dir}})
                """)!.AsArray().Select(n => (string?)n);
            Assert.That(guests, Is.EqualTo(new[] { "storage" }), "neither the host module nor a hand-written module is a guest");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestCase("default")]
    [TestCase("zvol")]
    public void Flake_template_parses_and_its_host_imports_the_generated_folder(string template)
    {
        var dir = Path.Combine(RepoPaths.Root, "templates", "flake", template);
        foreach (var file in Directory.GetFiles(dir, "*.nix", SearchOption.AllDirectories).Where(f => !f.Contains("/bin/", System.StringComparison.Ordinal) && !f.Contains("/obj/", System.StringComparison.Ordinal)))
        {
            NixEvaluator.Parse(file);
        }

        var evaluated = NixEvaluator.EvalExpression($$"""
            let
              inputs = import {{Stub}};
              outputs = (import {{Path.Combine(dir, "flake.nix")}}).outputs { self = outputs; inherit (inputs) nixpkgs microvm; };
            in
            {
              modules = map toString outputs.nixosConfigurations.host.modules;
              packages = outputs.packages.x86_64-linux;
              shell = outputs.devShells.x86_64-linux.default;
            }
            """)!;
        var host = evaluated["modules"]!.AsArray().Select(m => (string)m!).ToList();

        // `nix run .#<VM>` runs each VM of the generated host module; `nix develop` has the SDK that builds vms/.
        var vms = Directory.GetFiles(Path.Combine(dir, "vms", "nix"), "*.nix").Select(Path.GetFileNameWithoutExtension).Where(n => n != "default").ToList();
        Assert.That(evaluated["packages"]!.AsObject().Select(p => p.Key), Is.EquivalentTo(vms));
        foreach (var vm in vms)
        {
            Assert.That((string?)evaluated["packages"]![vm!]!["runner"], Is.EqualTo(vm));
            Assert.That((string?)evaluated["packages"]![vm!]!["module"], Is.EqualTo(Path.Combine(dir, "vms", "nix", vm + ".nix")));
        }

        Assert.That(evaluated["shell"]!["packages"]!.AsArray().Select(p => (string?)p), Does.Contain("dotnet-sdk"));
        Assert.That(File.ReadAllText(Path.Combine(dir, ".gitignore")), Does.Contain("vms/bin/").And.Contain("vms/obj/"));
        Assert.That(System.Xml.Linq.XDocument.Load(Path.Combine(dir, "vms", "Vms.csproj")).Descendants("TreatWarningsAsErrors"), Is.Empty,
            "warnings (upstream's too) do not fail a new user's first build");

        Assert.That(host[0], Is.EqualTo("microvm-host-module"));
        Assert.That(host.Skip(1).Select(p => Path.GetRelativePath(dir, p)), Is.EqualTo(new[] { "configuration.nix", Path.Combine("vms", "nix") }));
        Assert.That(File.Exists(Path.Combine(dir, "vms", "nix", "default.nix")), Is.True, "the generated host module is committed");
        NixEvaluator.EvalModule(Path.Combine(dir, "configuration.nix"));
    }
}
