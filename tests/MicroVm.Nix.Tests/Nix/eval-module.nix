# Imports a generated guest module for evaluation to JSON. Module paths in `imports` become
# { path = "/absolute/path"; } (toString does not copy them into the store, as JSON output would);
# inline modules stay as they are. Used by NixEvaluator.ParseAndEval.
{ module }:
let
  m = import (/. + module);
in
if builtins.isAttrs m && m ? imports then
  m // { imports = map (i: if builtins.isPath i then { path = toString i; } else i) m.imports; }
else
  m
