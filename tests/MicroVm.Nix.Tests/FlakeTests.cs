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

        Assert.That(evaluated["templates"]!.AsObject().Select(t => t.Key), Is.EquivalentTo(new[] { "default", "zvol", "fleet" }));
        Assert.That(evaluated["guests"]!.AsObject().Select(g => (g.Key, Path.GetFileName((string)g.Value!))), Is.EqualTo(new[] { ("storage", "storage.nix") }),
            "guest modules are every generated file but the host module");
        var storage = evaluated["configurations"]!["storage"]!;
        Assert.That(storage["modules"]!.AsArray().Select(m => Path.GetFileName((string)m!)), Is.EqualTo(new[] { "microvm-guest-module", "storage.nix" }));
        Assert.That(evaluated["checks"]!.AsObject().Select(c => c.Key), Is.EquivalentTo(new[] { "example", "template-default", "template-zvol", "example-cluster", "template-fleet" }));
        Assert.That((string?)evaluated["checks"]!["example"], Does.Contain("/nix/store/host.drv").And.Contain("/nix/store/runner.drv"));

        // A fleet's check: every host's system (lib.fleet) and every guest of every host's folder.
        var cluster = ((string?)evaluated["checks"]!["example-cluster"])!;
        var guests = Directory.GetFiles(Path.Combine(RepoPaths.Example("Cluster"), "nix"), "*.nix", SearchOption.AllDirectories).Count(f => Path.GetFileName(f) is not ("default.nix" or "fleet.nix"));
        Assert.That(cluster.Split(' ').Count(p => p.Contains("host.drv", System.StringComparison.Ordinal)), Is.EqualTo(2), "two hosts");
        Assert.That(cluster.Split(' ').Count(p => p.Contains("runner.drv", System.StringComparison.Ordinal)), Is.EqualTo(guests), "every guest");
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

    /// <summary>
    /// lib.fleet over the Cluster example's folder, with stub inputs: a NixOS system per host of fleet.nix (its system,
    /// microvm.nix's host module, its folder, the modules for every host and its own), a colmena hive (each node at its
    /// TargetHost, with its system's nixpkgs) and deploy-rs nodes (each host's system as its system profile).
    /// </summary>
    [Test]
    public void Lib_fleet_makes_a_system_per_host_a_colmena_hive_and_deploy_rs_nodes()
    {
        var cluster = Path.Combine(RepoPaths.Example("Cluster"), "nix");
        var evaluated = NixEvaluator.EvalExpression($$"""
            let
              inputs = import {{Stub}};
              outputs = (import {{Path.Combine(RepoPaths.Root, "flake.nix")}}).outputs { self = outputs; inherit (inputs) nixpkgs microvm; };
              fleet = outputs.lib.fleet {
                inherit (inputs) nixpkgs microvm deploy-rs;
                dir = {{cluster}};
                modules = [ "every-host" ];
                hosts.beta = [ "beta-only" ];
                sshUser = "deploy";
              };
              names = modules: map (m: if builtins.isAttrs m then "hostName:" + m.networking.hostName.content else toString m) modules;
            in
            {
              systems = builtins.mapAttrs (_: c: { inherit (c) system; modules = names c.modules; vms = builtins.attrNames c.config.microvm.vms; }) fleet.nixosConfigurations;
              colmena = builtins.mapAttrs (n: v: if n == "meta" then { nodes = builtins.attrNames v.nodeNixpkgs; } else { inherit (v) deployment; imports = names v.imports; }) fleet.colmena;
              deploy = builtins.mapAttrs (_: n: { inherit (n) hostname sshUser; inherit (n.profiles.system) user; activates = n.profiles.system.path.activates.system; system = n.profiles.system.path.system; }) fleet.deploy.nodes;
            }
            """)!;
        var fleet = NixEvaluator.EvalExpression("builtins.mapAttrs (_: h: h // { module = toString h.module; }) (import " + Path.Combine(cluster, "fleet.nix") + ")")!.AsObject();
        Assert.That(evaluated["systems"]!.AsObject().Select(s => s.Key), Is.EqualTo(fleet.Select(h => h.Key)), "a system per host of fleet.nix");
        foreach (var (name, host) in fleet)
        {
            var system = evaluated["systems"]![name]!;
            Assert.That((string?)system["system"], Is.EqualTo((string?)host!["system"]));
            var own = name == "beta" ? new[] { "beta-only" } : [];
            Assert.That(system["modules"]!.AsArray().Select(m => (string?)m),
                Is.EqualTo(new[] { "microvm-host-module", (string?)host["module"], "hostName:" + name, "every-host" }.Concat(own)));
            Assert.That(system["vms"]!.AsArray().Select(v => (string?)v), Is.EqualTo(host["vms"]!.AsArray().Select(v => (string?)v)), "the host's VMs, from its folder");

            var node = evaluated["colmena"]![name]!;
            Assert.That(((string?)node["deployment"]!["targetHost"], (string?)node["deployment"]!["targetUser"]), Is.EqualTo(((string?)host["targetHost"], "deploy")));
            Assert.That(node["imports"]!.AsArray().Select(m => (string?)m), Is.EqualTo(system["modules"]!.AsArray().Select(m => (string?)m)), "colmena deploys the same system");

            var deploy = evaluated["deploy"]![name]!;
            Assert.That(((string?)deploy["hostname"], (string?)deploy["sshUser"], (string?)deploy["user"]), Is.EqualTo(((string?)host["targetHost"], "deploy", "root")));
            Assert.That(((string?)deploy["activates"], (string?)deploy["system"]), Is.EqualTo(((string?)host["system"], (string?)host["system"])), "the host's own system, activated by deploy-rs for that system");
        }

        Assert.That(evaluated["colmena"]!["meta"]!["nodes"]!.AsArray().Select(n => (string?)n), Is.EqualTo(fleet.Select(h => h.Key)), "each node's nixpkgs is its system's");
    }

    [Test]
    public void Lib_fleet_refuses_a_host_the_folder_does_not_have()
    {
        var cluster = Path.Combine(RepoPaths.Example("Cluster"), "nix");
        var error = Assert.Throws<AssertionException>(() => NixEvaluator.EvalExpression($$"""
            let
              inputs = import {{Stub}};
              outputs = (import {{Path.Combine(RepoPaths.Root, "flake.nix")}}).outputs { self = outputs; inherit (inputs) nixpkgs microvm; };
            in
            builtins.attrNames (outputs.lib.fleet { inherit (inputs) nixpkgs microvm; dir = {{cluster}}; hosts.gamma = [ ]; }).nixosConfigurations
            """));
        Assert.That(error!.Message, Does.Contain("lib.fleet: hosts names gamma").And.Contain("its hosts are alpha beta"));
    }

    [Test]
    public void Fleet_template_evaluates_with_stub_inputs_into_its_hosts_and_deployments()
    {
        var dir = Path.Combine(RepoPaths.Root, "templates", "flake", "fleet");
        foreach (var file in Directory.GetFiles(dir, "*.nix", SearchOption.AllDirectories).Where(f => !f.Contains("/bin/", System.StringComparison.Ordinal) && !f.Contains("/obj/", System.StringComparison.Ordinal)))
        {
            NixEvaluator.Parse(file);
        }

        var evaluated = NixEvaluator.EvalExpression($$"""
            let
              inputs = import {{Stub}};
              microvm-nix = (import {{Path.Combine(RepoPaths.Root, "flake.nix")}}).outputs { self = microvm-nix; inherit (inputs) nixpkgs microvm; };
              outputs = (import {{Path.Combine(dir, "flake.nix")}}).outputs { self = outputs; inherit (inputs) nixpkgs microvm deploy-rs; inherit microvm-nix; };
            in
            {
              hosts = builtins.mapAttrs (_: c: map toString (builtins.filter (m: !builtins.isAttrs m) c.modules)) outputs.nixosConfigurations;
              colmena = builtins.attrNames outputs.colmena;
              deploy = builtins.attrNames outputs.deploy.nodes;
              checks = outputs.checks.x86_64-linux.nodes;
              shell = outputs.devShells.x86_64-linux.default.packages;
            }
            """)!;
        Assert.That(evaluated["hosts"]!.AsObject().Select(h => h.Key), Is.EqualTo(new[] { "alpha", "beta" }));
        foreach (var host in new[] { "alpha", "beta" })
        {
            Assert.That(evaluated["hosts"]![host]!.AsArray().Select(m => Path.GetRelativePath(dir, (string)m!)),
                Is.EqualTo(new[] { "microvm-host-module", Path.Combine("vms", "nix", host), Path.Combine("hosts", "common.nix"), Path.Combine("hosts", host + ".nix") }.Select(p => p == "microvm-host-module" ? Path.GetRelativePath(dir, p) : p)));
            NixEvaluator.EvalModule(Path.Combine(dir, "hosts", host + ".nix"));
        }

        Assert.That(evaluated["colmena"]!.AsArray().Select(n => (string?)n), Is.EqualTo(new[] { "alpha", "beta", "meta" }));
        Assert.That(evaluated["deploy"]!.AsArray().Select(n => (string?)n), Is.EqualTo(new[] { "alpha", "beta" }));
        Assert.That(evaluated["checks"]!.AsArray().Select(n => (string?)n), Is.EqualTo(new[] { "alpha", "beta" }), "deploy-rs checks every node");
        Assert.That(evaluated["shell"]!.AsArray().Select(p => (string?)p), Is.SupersetOf(new[] { "dotnet-sdk", "colmena", "deploy-rs" }));
        NixEvaluator.EvalModule(Path.Combine(dir, "hosts", "common.nix"));
        Assert.That(File.ReadAllText(Path.Combine(dir, ".gitignore")), Does.Contain("vms/bin/").And.Contain("vms/obj/"));
        Assert.That(File.ReadAllText(Path.Combine(dir, "flake.nix")), Does.Contain("microvm-nix = {"), "the fleet template names MicroVm.Nix as an input, for lib.fleet");
    }
}
