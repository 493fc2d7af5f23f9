"""Sub-commands of the `tarjama` CLI, one module each."""
