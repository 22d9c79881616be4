-- The seeds' source named the article and a path of the repository that made the registry
-- ('… Maurice Gouiran (shared/seed/french-tech-aix-marseille-2014.txt)'), a path no user of the registry has.
-- The source now names the article alone, as a reader can find it: its title, its date and its author.
-- Only the rows the seed wrote are changed (the exact old text); rows another source wrote are left as they are.
-- Startups are not touched: the seed writes no firm.
UPDATE sectors SET source = 'Article « French Tech · Tous unis pour dynamiser le numérique ! », 12.2014, Maurice Gouiran'
WHERE source = 'Article « French Tech · Tous unis pour dynamiser le numérique ! », 12.2014, Maurice Gouiran (shared/seed/french-tech-aix-marseille-2014.txt)';
UPDATE accelerators SET source = 'Article « French Tech · Tous unis pour dynamiser le numérique ! », 12.2014, Maurice Gouiran'
WHERE source = 'Article « French Tech · Tous unis pour dynamiser le numérique ! », 12.2014, Maurice Gouiran (shared/seed/french-tech-aix-marseille-2014.txt)';
UPDATE partners SET source = 'Article « French Tech · Tous unis pour dynamiser le numérique ! », 12.2014, Maurice Gouiran'
WHERE source = 'Article « French Tech · Tous unis pour dynamiser le numérique ! », 12.2014, Maurice Gouiran (shared/seed/french-tech-aix-marseille-2014.txt)';
UPDATE territories SET source = 'Article « French Tech · Tous unis pour dynamiser le numérique ! », 12.2014, Maurice Gouiran'
WHERE source = 'Article « French Tech · Tous unis pour dynamiser le numérique ! », 12.2014, Maurice Gouiran (shared/seed/french-tech-aix-marseille-2014.txt)';
