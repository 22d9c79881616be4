import Registry

/// The CLI's words for the registry's errors: the registry says what was wrong, the CLI says what to type to
/// set it right (a command, a flag) and which exit code the shell sees.
enum ErrorWords {
    /// The one line after `error: `.
    static func sentence(_ error: RegistryError) -> String {
        if case let .oneValuePerParameter(parameters, given)? = error.remedies.first {
            return "the query has \(parameters) parameter\(parameters == 1 ? "" : "s") and \(given) --param \(given == 1 ? "was" : "were") given; give one --param per ?"
        }
        let suggestions = error.suggestions
        return error.message + error.remedies.map { words($0, suggestions: suggestions) }.joined()
    }

    /// 65 invalid data (not found, duplicate, in use included), 66 missing input, 1 anything else.
    static func exitCode(_ error: RegistryError) -> Int32 {
        if error.isInvalidData { return 65 }
        if case .missingInput = error.kind { return 66 }
        return 1
    }

    /// The nearest names, then where to see them all; or, with none near, only where to see them.
    private static func nearest(_ suggestions: [String], see command: String?, otherwise: String) -> String {
        guard !suggestions.isEmpty else { return otherwise }
        return RegistryError.didYouMean(suggestions) + (command.map { " (see `\($0)`)" } ?? "")
    }

    private static func listCommand(_ entity: RegistryError.Entity) -> String {
        switch entity {
        case .city: "frenchtech stats by-city"
        case .nafSet: "frenchtech naf-set list"
        default: "frenchtech \(entity.rawValue) list"
        }
    }

    private static func words(_ remedy: RegistryError.Remedy, suggestions: [String]) -> String {
        switch remedy {
        case .list(let entity):
            let command = listCommand(entity)
            return "; " + nearest(suggestions, see: command, otherwise: "see `\(command)`")
        case .help(let command):
            return "; " + nearest(suggestions, see: command, otherwise: "see `\(command)`")
        case .search:
            return "; " + nearest(suggestions, see: nil, otherwise: "see `frenchtech startup list --search TEXT`")
        case .addTerritory:
            let command = listCommand(.territory)
            return "; to add it, give --level (metropolis, region or country) and its figures; otherwise "
                + nearest(suggestions, see: command, otherwise: "see `\(command)`")
        case .update(.startup): return "; use `frenchtech startup update` to correct it"
        case .update(let entity): return "; use `frenchtech \(entity.rawValue) update`"
        case .upsert: return "; use --upsert to update it, or remove the row"
        case .newSectors: return " (or import with --new-sectors)"
        case .newAccelerators: return " (or import with --new-accelerators)"
        case .giveID: return "; give the id"
        case .withdrawOrForce: return "; withdraw them (`frenchtech startup leave`) or use --force to detach them"
        case .moveStartups: return "; move them to another sector first (`frenchtech startup update REF --sector NAME`)"
        case .showStartup(let id): return "; see `frenchtech startup show \(id)`"
        case .giveTerritoryFigures:
            return "; give --digital-jobs, --firms, --revenue, --year, --reported-share, --level, --parent or --notes, or a perimeter (--epci, --region or --communes)"
        case .setParent(let territory): return "; give it one with `frenchtech territory set '\(territory)' --parent REGION`"
        case .addMetropolis:
            return "; add one with `frenchtech territory set NAME --level metropolis --parent REGION --digital-jobs N`"
        case .chooseTerritory: return "; choose one with --territory NAME"
        case .create(let path): return "; create one with `frenchtech init --db \(path)`"
        case .createThere(let path): return "; create one there with `frenchtech init --db \(path)`"
        case .createOrRestore(let path): return "; create one there with `frenchtech init --db \(path)`, or restore it from a backup"
        case .fileInFolder(let path): return "; give the path of a file, e.g. --db \(path)/frenchtech.sqlite"
        case .otherRegistry: return "; give another --db path"
        case .migrate(let path): return "; apply them with `frenchtech migrate --db \(path)`"
        case .restoreBackup: return "; restore it from a backup (`frenchtech backup`)"
        case .checkRegistry(let path):
            return "; check the values given, or run `frenchtech check` if other tools have written to \(path)"
        case .replace: return "; give another path, or add --force to replace it"
        case .oneValuePerParameter: return "; give one --param per ?"
        case .readingStatement: return "; `frenchtech sql` runs one statement that only reads (SELECT, WITH, reporting PRAGMAs)"
        case .oneStatement: return "; `frenchtech sql` runs one statement at a time"
        case .onlyReads: return "; `frenchtech sql` only reads"
        case .addSector: return "; add one with `frenchtech sector add`"
        case .listOrAddSector:
            return suggestions.isEmpty ? "; see `frenchtech sector list`, or add it with `frenchtech sector add`"
                : "; " + RegistryError.didYouMean(suggestions) + " (or add it with `frenchtech sector add`)"
        case .giveOption(let field): return " (--\(field))"
        case .nafCodes: return "; see `frenchtech sql \"SELECT code, label FROM naf_codes\"`"
        case .alsoGiveSIREN(let siren): return "; to change the firm's SIREN too, give --siren \(siren) with it"
        case .findEPCI: return "; the epci column of `frenchtech commune list --department 13` gives the SIREN of each commune's EPCI"
        case .listRegions: return "; see `frenchtech sql \"SELECT code, name FROM regions\"`"
        case .listDepartments: return "; see `frenchtech sql \"SELECT code, name FROM departments\"`"
        case .listCommunes(let department): return "; see `frenchtech commune list --department \(department ?? "13")`"
        case .setPerimeter(let territory):
            return "; give it one with `frenchtech territory set '\(territory)' --epci SIREN` (or --region CODE, or --communes CODE,CODE)"
        case .otherNameOrRemove(let name?): return "; choose another name, or remove that set first (`frenchtech naf-set remove '\(name)'`)"
        case .otherNameOrRemove(nil): return "; choose another name"
        case .addNafSet: return "; add a set of your own with `frenchtech naf-set add NAME --codes 62,63.1 --source TEXT`"
        case .importSirene: return "; import INSEE's stock of establishments with `frenchtech import sirene FILE`"
        case .chooseStockDate: return "; give one of them with --stock-date YYYY-MM-DD"
        case .chooseNafSet: return "; give one of them with --naf-set NAME"
        case .importRegions(let codes):
            return "; import the stock again with `frenchtech import sirene FILE --region \(codes.joined(separator: ","))`"
        case .giveSIRET: return "; give the SIRET of one of them"
        }
    }
}
