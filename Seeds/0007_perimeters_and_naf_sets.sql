-- The perimeters of the two seeded territories and INSEE's definition of the ICT sector as a NAF set. Loaded
-- into every new registry (with `init --empty` too: the set is a definition, not a fact of the article, and no
-- perimeter is written without its territory) and once into a registry made before migration 0007. Loading twice
-- changes nothing (ON CONFLICT DO NOTHING).

INSERT INTO territory_perimeters (territory_id, kind, code, notes, source)
SELECT id, 'epci', '200054807',
       'The Métropole d''Aix-Marseille-Provence (92 communes). The 2014 candidacy was carried by Marseille Provence Métropole (MPM) and the Communauté du Pays d''Aix, which the Métropole merged in 2016 with four other intercommunalities; the perimeter of 2014 was theirs, smaller.',
       'DGCL, composition des EPCI à fiscalité propre au 1er janvier 2026 (epcicom2026.xlsx), via data.gouv.fr decoupage-administratif; Licence Ouverte 2.0'
FROM territories WHERE name = 'Aix-Marseille'
ON CONFLICT DO NOTHING;

INSERT INTO territory_perimeters (territory_id, kind, code, notes, source)
SELECT id, 'region', '93', NULL,
       'INSEE, Code officiel géographique au 1er janvier 2026 (region 93), via data.gouv.fr decoupage-administratif; Licence Ouverte 2.0'
FROM territories WHERE name = 'Provence-Alpes-Côte d''Azur (PACA)'
ON CONFLICT DO NOTHING;

INSERT INTO naf_sets (name, source)
VALUES ('ict', 'INSEE, définition du secteur des technologies de l''information et de la communication (TIC), after the OECD: NAF rev. 2 groups 26.1 to 26.4, 26.8, 46.5, 58.2, 61, 62, 63.1 and 95.1 (insee.fr, définition c1385)')
ON CONFLICT DO NOTHING;

INSERT INTO naf_set_codes (naf_set_id, code)
SELECT (SELECT id FROM naf_sets WHERE name = 'ict'), column1
FROM (VALUES ('26.1'), ('26.2'), ('26.3'), ('26.4'), ('26.8'), ('46.5'), ('58.2'), ('61'), ('62'), ('63.1'), ('95.1'))
WHERE (SELECT id FROM naf_sets WHERE name = 'ict') IS NOT NULL
ON CONFLICT DO NOTHING;
