"""Reference catalogues, loaded from `magnet/data/reference/` with their sources cited: MOE majors,
universities with 双一流 flags, GB/T 4754 industries and GB/T 2260 divisions; the pickers that let
forms choose from them, and talents' declared (unverified) education."""
