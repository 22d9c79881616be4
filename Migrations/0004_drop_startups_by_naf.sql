-- No command looks startups up by NAF code: `startup list` filters by sector, city, programme and name, the
-- statistics group by sector, and NAF codes are a reference table the CLI never changes, so the index served
-- only the ON DELETE RESTRICT check of a NAF code deleted by hand (which then scans `startups`, once).
-- Building it cost about 0.5 s of a 1,000,000-row import (Benchmarks/run.sh).
DROP INDEX startups_by_naf;
