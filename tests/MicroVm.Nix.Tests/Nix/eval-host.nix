# Evaluates a generated host module (default.nix) to JSON. When the module is a function of config
# (it reads the zfs package for zvol udev rules), it gets a stub with boot.zfs.package = "/zfs";
# each VM's `config` path becomes its string form. Used by HostModuleTests.
{ module }:
let
  m = import (/. + module);
  v = if builtins.isFunction m then m { config.boot.zfs.package = "/zfs"; } else m;
in
v
// {
  microvm.vms = builtins.mapAttrs (name: vm: vm // { config = toString vm.config; }) v.microvm.vms;
}
