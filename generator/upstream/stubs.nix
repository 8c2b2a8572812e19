# The few NixOS options and pkgs attributes microvm.nix's option declarations read, stubbed so that
# the declarations evaluate with nixpkgs' lib alone. `variant` changes every stubbed value, so that a
# default computed from them can be told from a constant one. Used by extract-options.nix and by the
# tests' upstream-accepts.nix.
variant: {
  module = { lib, ... }: {
    options.networking.hostName = lib.mkOption { type = lib.types.str; default = "stub-${variant}"; };
    options.boot = lib.mkOption { type = lib.types.raw; default = { kernelPackages.kernel = "/stub-kernel-${variant}"; }; };
    options.system = lib.mkOption { type = lib.types.raw; default = { build.initialRamdisk = "/stub-initrd-${variant}"; }; };
    options.assertions = lib.mkOption { type = lib.types.listOf lib.types.raw; default = [ ]; };
    options.warnings = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; };
    # Only the declarations are read; the definitions upstream's files make of NixOS options are not checked.
    config._module.check = false;
    # Defaults computed from other microvm options (systemSymlink from storeOnDisk, hotpluggedMem from
    # hotplugMem) differ between the variants too: variant b sets those options away from their defaults.
    config.microvm = lib.optionalAttrs (variant == "b") { storeOnDisk = false; hotplugMem = 1; };
  };
  pkgs = {
    stdenv.hostPlatform = { system = "x86_64-linux"; isDarwin = false; isLinux = true; };
    path = "/stub-nixpkgs-${variant}";
  };
}
