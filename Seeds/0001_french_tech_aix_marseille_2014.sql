-- The facts of the press article "French Tech · Tous unis pour dynamiser le numérique !" (12.2014, by
-- Maurice Gouiran) on the French Tech label of Aix-Marseille, and nothing else: no firm is invented.
-- Every row carries the article as its source. Loading this file twice changes nothing (ON CONFLICT DO NOTHING).
--
-- Notes on the text:
-- * The article announces "les 9 programmes d'accélérateurs retenus" but names the pilots of eight:
--   voyageprive, StarDust, Telfrance Serie, Jaguar, gemalto, P/factory, NetAngels and Kedge. The eight are
--   seeded, spelled as the article spells them; the ninth is not invented (`frenchtech accelerator add`).
-- * The article gives each programme by its pilot, not by a name of its own: the programme is named after it.
-- * PACA's digital jobs are not in the article; they are derived from it (40,000 jobs = 55 % of the region's
--   digital jobs, so 40,000 / 0.55 ≈ 72,727) and marked derived.
-- * "un chiffre d'affaires proche de 8 milliards d'euros": about 8 billion euros, recorded as 8,000,000,000.

CREATE TEMP TABLE seed_source (text TEXT NOT NULL);
INSERT INTO seed_source VALUES ('Article « French Tech · Tous unis pour dynamiser le numérique ! », 12.2014, Maurice Gouiran');

INSERT INTO sectors (name, description, source)
SELECT column1, column2, (SELECT text FROM seed_source)
FROM (VALUES
    ('e-tourisme', 'Tourism online; focus of the voyageprive programme'),
    ('e-commerce', 'Selling online; focus of the StarDust programme'),
    ('transmedia', 'Stories told across media; focus of the Telfrance Serie programme'),
    ('big data', 'Large-scale data; focus of the Jaguar programme'),
    ('NFC', 'Near-field communication; focus of the gemalto programme'))
WHERE true
ON CONFLICT DO NOTHING;

INSERT INTO accelerators (name, pilot, sector_id, source)
SELECT column1, column1, (SELECT id FROM sectors WHERE name = column2), (SELECT text FROM seed_source)
FROM (VALUES
    ('voyageprive', 'e-tourisme'),
    ('StarDust', 'e-commerce'),
    ('Telfrance Serie', 'transmedia'),
    ('Jaguar', 'big data'),
    ('gemalto', 'NFC'),
    ('P/factory', NULL),
    ('NetAngels', NULL),
    ('Kedge', NULL))
WHERE true
ON CONFLICT DO NOTHING;

INSERT INTO partners (name, kind, role, source)
SELECT column1, column2, column3, (SELECT text FROM seed_source)
FROM (VALUES
    ('Ville de Marseille', 'city', 'Co-applicant of the joint Aix-Marseille candidacy'),
    ('Ville d''Aix-en-Provence', 'city', 'Co-applicant of the joint Aix-Marseille candidacy'),
    ('Communauté du Pays d''Aix', 'intercommunality', 'Co-applicant of the joint Aix-Marseille candidacy'),
    ('Marseille Provence Métropole (MPM)', 'intercommunality', 'Co-applicant of the joint Aix-Marseille candidacy'),
    ('État (Mission numérique, secrétariat d''État au numérique)', 'state',
     'Supports the French Tech initiative: a 200 M€ investment fund for private accelerators and a 15 M€ international promotion campaign of the French Tech brand; the secrétaire d''État au numérique awarded the label on 12 November 2014'))
WHERE true
ON CONFLICT DO NOTHING;

INSERT INTO territories (name, level, parent_id, digital_jobs, reported_share, firms, revenue_eur, reference_year,
                         label_awarded, derived, notes, source)
VALUES ('Provence-Alpes-Côte d''Azur (PACA)', 'region', NULL, 72727, NULL, NULL, NULL, 2014, NULL, 1,
        'Digital jobs derived from the article: 40,000 / 0.55 = 72,727 (rounded down)', (SELECT text FROM seed_source))
ON CONFLICT DO NOTHING;

INSERT INTO territories (name, level, parent_id, digital_jobs, reported_share, firms, revenue_eur, reference_year,
                         label_awarded, derived, notes, source)
VALUES ('Aix-Marseille', 'metropolis', (SELECT id FROM territories WHERE name = 'Provence-Alpes-Côte d''Azur (PACA)'),
        40000, 0.55, 7000, 8000000000, 2014, '2014-11-12', 0,
        '40,000 private digital jobs, 55 % of the digital jobs of the PACA region; 7,000 firms; revenue "proche de 8 milliards d''euros" (about 8 billion euros); French Tech label awarded on 12 November 2014',
        (SELECT text FROM seed_source))
ON CONFLICT DO NOTHING;

DROP TABLE temp.seed_source;
