"""The semantic layer: the one place that answers what names mean.

- `scopes`: scopes and bindings of a module, with Python's rules;
- `provenance`: whether an expression is a stdlib logger (proven), foreign or unknown;
- `modules`: where the project's modules are (search roots, dotted name to file);
- `project`: the project's own modules, followed through imports;
- `root_exports`: may an imported name be the root logger (ast, for the rules' gates);
- `module_logger`: the module logger fixes may call, or the one they insert;
- `file`: `FileSemantics`, the model of the file being checked;
- `loggers`, `logger_names`, `levels`: what the logging library's calls and names are;
- `purpose`: what a file and its code are for (test, example, program, library).
- `programs`: which functions are program code (entry points, commands, dispatch tables,
  helpers only a program uses), across the project's files.

Rules ask `FileSemantics` (as `FileContext.loggers`) and never track imports or
assignments themselves.
"""
