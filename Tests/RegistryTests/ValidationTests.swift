import FoundationEssentials
import Registry
import Testing

/// Compares scalar by scalar: `==` on String would accept a canonically equivalent key that SQLite would not.
private func expectKey(_ name: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(Array(name.searchKey.unicodeScalars) == Array(expected.unicodeScalars), sourceLocation: sourceLocation)
}

// Reference implementations, written differently from the code under test so that they check it.

/// Luhn with a lookup table for the doubled digits, walking left to right.
private func luhnReference(_ digits: String) -> Bool {
    let doubled = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9]
    let values = digits.compactMap(\.wholeNumberValue)
    var total = 0
    for (index, value) in values.enumerated() {
        let positionFromRight = values.count - index
        total += positionFromRight.isMultiple(of: 2) ? doubled[value] : value
    }
    return total % 10 == 0
}

private func digitSumReference(_ digits: String) -> Int { digits.compactMap(\.wholeNumberValue).reduce(0, +) }

/// The UTC year of a moment, by counting whole years from 1970: slow, but plainly right.
private func utcYear(secondsSince1970 seconds: Double) -> Int {
    func daysIn(_ year: Int) -> Int { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 366 : 365 }
    var days = Int((seconds / 86_400).rounded(.down))
    var year = 1970
    while days >= daysIn(year) {
        days -= daysIn(year)
        year += 1
    }
    return year
}

/// `digits` with the digit at `index` replaced by each of the nine others.
private func singleDigitTypos(of digits: String) -> [String] {
    digits.indices.flatMap { index in
        "0123456789".filter { $0 != digits[index] }.map { typo in
            var copy = digits
            copy.replaceSubrange(index...index, with: String(typo))
            return copy
        }
    }
}

private let sirenShapeRule = "a SIREN is nine digits (spaces and dots allowed), like 552 100 554"
private let sirenCheckRule =
    "the last digit of a SIREN is a check digit (Luhn) and does not match the others; look for a mistyped digit"
private let siretShapeRule =
    "a SIRET is fourteen digits (spaces and dots allowed): the nine of the SIREN, then five for the establishment"
private let siretCheckRule =
    "the last digit of a SIRET is a check digit (Luhn) and does not match the others; look for a mistyped digit"
private let laPosteRule = "the digits of a La Poste SIRET (356 000 000 …) add up to a multiple of 5; look for a mistyped digit"
private let nafRule = "a NAF code is two digits, a dot, two digits and a letter, like 62.01Z"
private let countRule = "must be a whole number of 0 or more in digits, like 1200 or 1 200"
private let controlRule = "must not contain control characters such as tabs or line breaks; keep it on one line"

/// One namespace, so that these suites cannot collide with the other Registry tests.
@Suite enum ValidationTests {}

extension ValidationTests {
    @Suite struct SIREN {
        @Test(arguments: ["552100554", "732829320", "356000000", "443061841", "542051180"])
        func acceptsValidSIREN(_ siren: String) throws {
            #expect(luhnReference(siren))
            #expect(try Validate.siren(siren) == siren)
        }

        @Test(arguments: [
            "552 100 554", "552.100.554", " 552100554 ", "552\u{A0}100\u{A0}554", "552\u{202F}100\u{202F}554",
            "5 5 2 1 0 0 5 5 4", "552\t100. 554",
        ])
        func removesSpacesAndDots(_ raw: String) throws {
            #expect(try Validate.siren(raw) == "552100554")
        }

        @Test(arguments: [
            "", "55210055", "5521005540", "55210055A", "SIREN5521", "552-100-554", "552_100_554", "+552100554",
            "٥٥٢١٠٠٥٥٤", "５５２１００５５４", "552100554\u{301}",
        ])
        func refusesWhatIsNotNineASCIIDigits(_ raw: String) {
            #expect(throws: FieldError(field: "siren", value: raw, rule: sirenShapeRule)) { try Validate.siren(raw) }
        }

        @Test func followsLuhnForEveryLastDigit() throws {
            for last in 0...9 {
                let siren = "55210055\(last)"
                if luhnReference(siren) {
                    #expect(try Validate.siren(siren) == siren)
                } else {
                    #expect(throws: FieldError(field: "siren", value: siren, rule: sirenCheckRule)) {
                        try Validate.siren(siren)
                    }
                }
            }
        }

        @Test func refusesEverySingleDigitTypo() {
            for typo in singleDigitTypos(of: "552100554") {
                #expect(!luhnReference(typo))
                #expect(throws: FieldError(field: "siren", value: typo, rule: sirenCheckRule)) { try Validate.siren(typo) }
            }
        }

        @Test func describesTheMistake() {
            let error = #expect(throws: FieldError.self) { try Validate.siren("552 100 555") }
            #expect(error?.description == "invalid siren '552 100 555': " + sirenCheckRule)
        }
    }
}

extension ValidationTests {
    @Suite struct SIRET {
        @Test(arguments: ["44306184100047", "55210055400013", "73282932000074", "54205118000066"])
        func acceptsValidSIRET(_ siret: String) throws {
            #expect(luhnReference(siret) && luhnReference(String(siret.prefix(9))))
            #expect(try Validate.siret(siret) == siret)
        }

        @Test(arguments: [
            "443 061 841 00047", "443.061.841.00047", "443\u{A0}061\u{A0}841\u{202F}00047", " 44306184100047\n",
        ])
        func removesSpacesAndDots(_ raw: String) throws {
            #expect(try Validate.siret(raw) == "44306184100047")
        }

        @Test(arguments: [
            "", "4430618410004", "443061841000470", "4430618410004A", "４４３０６１８４１０００４７", "٤٤٣٠٦١٨٤١٠٠٠٤٧",
        ])
        func refusesWhatIsNotFourteenASCIIDigits(_ raw: String) {
            #expect(throws: FieldError(field: "siret", value: raw, rule: siretShapeRule)) { try Validate.siret(raw) }
        }

        @Test func refusesEverySingleDigitTypoOutsideLaPoste() {
            for typo in singleDigitTypos(of: "44306184100047") {
                #expect(throws: FieldError.self) { try Validate.siret(typo) }
            }
        }

        @Test func refusesLuhnValidSIRETWhoseSIRENIsNot() {
            let siret = "55210055500002"
            #expect(luhnReference(siret) && !luhnReference("552100555"))
            let error = #expect(throws: FieldError.self) { try Validate.siret(siret) }
            #expect(error?.rule == "its first nine digits, 552100555, are not a valid SIREN "
                + "(their last digit is a check digit); look for a mistyped digit")
        }

        @Test func refusesWrongCheckDigit() {
            let siret = "44306184100048"
            #expect(!luhnReference(siret) && luhnReference("443061841"))
            #expect(throws: FieldError(field: "siret", value: siret, rule: siretCheckRule)) { try Validate.siret(siret) }
        }

        @Test func laPosteHeadOfficeFollowsLuhn() throws {
            let headOffice = "35600000000048"
            #expect(luhnReference(headOffice) && !digitSumReference(headOffice).isMultiple(of: 5))
            #expect(try Validate.siret("356 000 000 00048") == headOffice)
            #expect(throws: FieldError(field: "siret", value: "35600000000049", rule: laPosteRule)) {
                try Validate.siret("35600000000049")
            }
        }

        @Test(arguments: ["35600000049837", "35600000000010"])
        func acceptsLaPosteEstablishmentByDigitSum(_ siret: String) throws {
            #expect(!luhnReference(siret) && digitSumReference(siret).isMultiple(of: 5))
            #expect(try Validate.siret(siret) == siret)
        }

        @Test func refusesLaPosteEstablishmentWhoseDigitSumIsOff() {
            // Luhn-valid, but La Poste's establishments answer to the digit sum alone.
            let siret = "35600000000014"
            #expect(luhnReference(siret) && !digitSumReference(siret).isMultiple(of: 5))
            #expect(throws: FieldError(field: "siret", value: siret, rule: laPosteRule)) { try Validate.siret(siret) }
        }
    }
}

extension ValidationTests {
    @Suite struct Identifiers {
        @Test func acceptsNeither() throws {
            #expect(try Validate.identifiers(siren: nil, siret: nil) == (nil, nil))
        }

        @Test func compactsSIRENAlone() throws {
            #expect(try Validate.identifiers(siren: "552 100 554", siret: nil) == ("552100554", nil))
        }

        @Test func takesSIRENFromSIRET() throws {
            #expect(try Validate.identifiers(siren: nil, siret: "552 100 554 00013") == ("552100554", "55210055400013"))
        }

        @Test func acceptsMatchingPair() throws {
            #expect(try Validate.identifiers(siren: "552.100.554", siret: "55210055400013") == ("552100554", "55210055400013"))
        }

        @Test func refusesMismatchedPair() {
            let error = #expect(throws: FieldError.self) {
                try Validate.identifiers(siren: "732829320", siret: "552 100 554 00013")
            }
            #expect(error?.description == "invalid siret '552 100 554 00013': "
                + "must start with the SIREN 732829320 given with it; correct one of the two")
        }

        @Test func reportsTheFieldAtFault() {
            #expect(throws: FieldError(field: "siren", value: "552100555", rule: sirenCheckRule)) {
                try Validate.identifiers(siren: "552100555", siret: "55210055400013")
            }
            #expect(throws: FieldError(field: "siret", value: "5521005540001", rule: siretShapeRule)) {
                try Validate.identifiers(siren: "552100554", siret: "5521005540001")
            }
        }
    }
}

extension ValidationTests {
    @Suite struct NAFCode {
        @Test(arguments: ["62.01Z", "6201Z", "62.01z", "6201z", "  62.01Z ", "\t62.01Z\n", "\u{A0}62.01Z"])
        func returnsDottedUppercase(_ raw: String) throws {
            #expect(try Validate.nafCode(raw) == "62.01Z")
        }

        @Test(arguments: [("01.11Z", "01.11Z"), ("4791a", "47.91A"), ("99.00b", "99.00B")])
        func acceptsOtherCodes(_ raw: String, expected: String) throws {
            #expect(try Validate.nafCode(raw) == expected)
        }

        @Test(arguments: [
            "", "62.1Z", "620.1Z", "6.201Z", "62..01Z", "62-01Z", "62.01", "6201", "62.01ZZ", "62.01 Z", "62 01Z",
            "62.01É", "62.019", "A2.01Z", "٦٢.٠١Z", "６２.０１Z", "62.01Ｚ", "62.01Z\u{301}",
        ])
        func refusesOtherShapes(_ raw: String) {
            #expect(throws: FieldError(field: "naf_code", value: raw, rule: nafRule)) { try Validate.nafCode(raw) }
        }
    }
}

extension ValidationTests {
    @Suite struct Name {
        @Test(arguments: [
            ("Calanques Pay", "Calanques Pay"), ("  Calanques Pay \n", "Calanques Pay"), ("L'Oréal", "L'Oréal"),
            ("\u{A0}Doctolib\u{202F}", "Doctolib"), ("Two  Spaces", "Two  Spaces"), ("مرحبا", "مرحبا"), ("שלום", "שלום"),
        ])
        func trimsSurroundingWhitespace(_ raw: String, expected: String) throws {
            #expect(try Validate.name(raw) == expected)
        }

        /// 200 code points, as the schema's `length(name)` counts them: an accent typed apart or each part of an
        /// emoji counts one.
        @Test(arguments: [("a", 1), ("é", 1), ("e\u{301}", 2), ("👩‍👩‍👧‍👦", 7), ("🇫🇷", 2)] as [(String, Int)])
        func allowsTwoHundredCodePoints(_ character: String, codePoints: Int) throws {
            let atLimit = String(repeating: character, count: 200 / codePoints) + String(repeating: "a", count: 200 % codePoints)
            #expect(try Validate.name(" " + atLimit + " ") == atLimit)
            let tooLong = atLimit + "a"
            let parts = codePoints == 1 ? "" : ", counting each accent or part of an emoji typed apart as one"
            let rule = "must be at most 200 characters (this one has 201\(parts)); shorten it"
            #expect(throws: FieldError(field: "name", value: tooLong, rule: rule)) { try Validate.name(tooLong) }
        }

        @Test(arguments: ["", " ", "   ", "\t\n", "\u{A0}\u{202F}\u{3000}"])
        func refusesEmpty(_ raw: String) {
            #expect(throws: FieldError(field: "name", value: raw, rule: "must not be empty")) { try Validate.name(raw) }
        }

        @Test(arguments: [
            "Calanques\tPay", "Calanques\nPay", "Calanques\r\nPay", "Cal\u{0}anques", "Cal\u{7F}", "\u{1B}[31mRed",
            "Cal\u{85}anques",
        ])
        func refusesControlCharactersInside(_ raw: String) {
            #expect(throws: FieldError(field: "name", value: raw, rule: controlRule)) { try Validate.name(raw) }
        }

        /// Control characters (Cc) are refused wherever they stand: the check reads plain ASCII eight bytes at a
        /// time, so each one below U+00A0 is tried at every offset of a 24-byte name, after ASCII or an accent.
        @Test func refusesControlCharactersAsTheUnicodeTablesSayAtEveryOffset() {
            for value in UInt32(0)..<0xA0 {
                let scalar = Unicode.Scalar(value)!
                let control = scalar.properties.generalCategory == .control
                for prefix in ["", "é"] {
                    for offset in 0...23 {
                        let raw = prefix + "N" + String(repeating: "x", count: offset) + "\(scalar)" + String(repeating: "y", count: 23 - offset) + "Z"
                        let refused: Bool
                        do {
                            _ = try Validate.name(raw)
                            refused = false
                        } catch {
                            refused = error.rule == controlRule
                        }
                        #expect(refused == control, "U+\(String(value, radix: 16)) at \(offset) in \(raw.debugDescription)")
                    }
                }
            }
        }

        /// Format characters (Cf) are refused, except the joiners and tags inside emoji: checked against the
        /// Unicode tables for every scalar below U+0800 (one and two UTF-8 bytes, where a fast path reads bytes)
        /// and for the format characters people paste.
        @Test func refusesInvisibleCharactersAsTheUnicodeTablesSay() {
            let pasted: [UInt32] = [0x200B, 0x200C, 0x200D, 0x200E, 0x202E, 0x2060, 0x2066, 0xFEFF, 0xE0001, 0xE0041]
            for value in Array(0x20..<0x800) + pasted {
                guard let scalar = Unicode.Scalar(value), scalar.properties.generalCategory != .control else { continue }
                let invisible = scalar.properties.generalCategory == .format
                    && !(0x200C...0x200D).contains(value) && !(0xE0020...0xE007F).contains(value)
                // Since the look-alike rules: a Greek or Cyrillic letter inside a Latin word is refused too, and so is
                // a name of nothing visible (a lone mark or joiner).
                let foreignLetter = scalar.properties.isAlphabetic && (0x370...0x52F).contains(value)
                let blank = [.nonspacingMark, .enclosingMark, .format].contains(scalar.properties.generalCategory)
                    || scalar.properties.isDefaultIgnorableCodePoint
                for raw in ["Cal\(scalar)anques", "Réseau\(scalar)x", "\(scalar)"] where !raw.allSatisfy(\.isWhitespace) {
                    let refused = (try? Validate.name(raw)) == nil
                    let expected = invisible || (foreignLetter && raw != "\(scalar)") || (blank && raw == "\(scalar)")
                    #expect(refused == expected, "U+\(String(value, radix: 16)) in \(raw.debugDescription)")
                }
            }
        }

        @Test func namesTheFieldItChecks() {
            let error = #expect(throws: FieldError.self) { try Validate.name("  ", field: "accelerator") }
            #expect(error?.description == "invalid accelerator '  ': must not be empty")
        }
    }
}

extension ValidationTests {
    @Suite struct Count {
        @Test(arguments: [
            ("0", 0), ("12", 12), (" 12 ", 12), ("007", 7), ("1 200", 1_200), ("1\u{A0}200", 1_200),
            ("1\u{202F}200", 1_200), ("12 345 678", 12_345_678),
            ("9223372036854775807", Int64.max), ("9 223 372 036 854 775 807", Int64.max),
        ] as [(String, Int64)])
        func acceptsWholeNumbers(_ raw: String, expected: Int64) throws {
            #expect(try Validate.count(raw, field: "employees", atMost: .max) == expected)
        }

        @Test(arguments: [
            "", "  ", "-1", "+1", "1.5", "1,5", "1e3", "0x10", "one", "1 2", "1  200", "12 00", "1 2000", "1200 000",
            " 1 200 000 0", "1\t200", "1_200", "٣", "１２",
        ])
        func refusesOtherText(_ raw: String) {
            #expect(throws: FieldError(field: "revenue_eur", value: raw, rule: countRule)) {
                try Validate.count(raw, field: "revenue_eur", atMost: .max)
            }
        }

        @Test(arguments: ["9223372036854775808", "9 223 372 036 854 775 808", "99999999999999999999999"])
        func refusesPastInt64(_ raw: String) {
            #expect(throws: FieldError(field: "employees", value: raw, rule: "must be at most 9,223,372,036,854,775,807; check the figure (a unit or digits too many?)")) {
                try Validate.count(raw, field: "employees", atMost: .max)
            }
        }

        @Test(arguments: [0, 1, Int64.max])
        func acceptsParsedNumbers(_ value: Int64) throws {
            #expect(try Validate.count(value, field: "employees", atMost: .max) == value)
        }

        @Test(arguments: [-1, Int64.min])
        func refusesNegativeParsedNumbers(_ value: Int64) {
            #expect(throws: FieldError(field: "employees", value: "\(value)", rule: "must be 0 or more")) {
                try Validate.count(value, field: "employees", atMost: .max)
            }
        }
    }
}

extension ValidationTests {
    @Suite struct Year {
        let rule = "must be a year from 1800 to 2025"

        @Test(arguments: [("1800", 1800), ("2025", 2025), (" 1999\n", 1999), ("02000", 2000)] as [(String, Int64)])
        func acceptsYearsInRange(_ raw: String, expected: Int64) throws {
            #expect(try Validate.year(raw, field: "founded", currentYear: 2025) == expected)
        }

        @Test(arguments: ["1799", "2026", "0", "", "20 25", "2025.0", "-2000", "MMXX", "٢٠٢٠", "99999999999999999999"])
        func refusesOtherText(_ raw: String) {
            #expect(throws: FieldError(field: "cohort", value: raw, rule: rule)) {
                try Validate.year(raw, field: "cohort", currentYear: 2025)
            }
        }

        @Test func checksParsedYears() throws {
            #expect(try Validate.year(1800, field: "founded", currentYear: 2025) == 1800)
            #expect(try Validate.year(2025, field: "founded", currentYear: 2025) == 2025)
            for outside: Int64 in [1799, 2026, -1, Int64.min, Int64.max] {
                #expect(throws: FieldError(field: "founded", value: "\(outside)", rule: rule)) {
                    try Validate.year(outside, field: "founded", currentYear: 2025)
                }
            }
        }

        @Test func acceptsThisYearButNotNext() throws {
            let thisYear = Validate.currentYear
            #expect(try Validate.year("\(thisYear)", field: "founded", currentYear: thisYear) == Int64(thisYear))
            #expect(throws: FieldError.self) {
                try Validate.year(Int64(thisYear + 1), field: "founded", currentYear: thisYear)
            }
        }

        @Test func referenceYearIsRightAtKnownMoments() {
            // 1970-01-01T00:00:00Z, 1999-12-31T23:59:59Z, 2000-01-01T00:00:00Z, 2000-12-31T23:59:59Z (a leap year),
            // 2024-12-31T23:59:59Z, 2025-01-01T00:00:00Z.
            let moments: [(Double, Int)] = [
                (0, 1970), (946_684_799, 1999), (946_684_800, 2000), (978_307_199, 2000),
                (1_735_689_599, 2024), (1_735_689_600, 2025),
            ]
            for (seconds, year) in moments { #expect(utcYear(secondsSince1970: seconds) == year) }
        }

        @Test func currentYearIsTheUTCYear() {
            let before = utcYear(secondsSince1970: Date().timeIntervalSince1970)
            let year = Validate.currentYear
            let after = utcYear(secondsSince1970: Date().timeIntervalSince1970)
            #expect(year == before || year == after)
        }
    }
}

extension ValidationTests {
    @Suite struct ErrorMessage {
        @Test func readsAsOneSentence() {
            let error = FieldError(field: "employees", value: "-1", rule: "must be 0 or more")
            #expect(error.description == "invalid employees '-1': must be 0 or more")
        }

        @Test func keepsSixtyCharacters() {
            let sixty = String(repeating: "é", count: 60)
            #expect(FieldError(field: "name", value: sixty, rule: "r").value == sixty)
            let sixtyOne = sixty + "x"
            #expect(FieldError(field: "name", value: sixtyOne, rule: "r").value == String(repeating: "é", count: 59) + "…")
        }

        @Test func escapesControlCharacters() {
            let error = FieldError(field: "name", value: "a\nb\tc\r\u{0}\u{1B}\u{7F}\u{85}\u{2028}d", rule: "r")
            #expect(error.value == #"a\nb\tc\r\u{0}\u{1B}\u{7F}\u{85}\u{2028}d"#)
        }

        @Test func staysOnOneLineForLongMultilineValues() {
            let raw = String(repeating: "line\n", count: 100)
            let error = #expect(throws: FieldError.self) { try Validate.name(raw) }
            #expect(error?.value == String(repeating: #"line\n"#, count: 11) + "line…")
            #expect(error?.description.contains("\n") == false)
        }
    }
}

extension ValidationTests {
    @Suite struct SearchKey {
        @Test(arguments: [
            ("  Société   Générale ", "societe generale"), ("ÉCOLE", "ecole"), ("Œuvre", "œuvre"), ("ﬁnance", "finance"),
            ("e\u{301}", "e"), ("E\u{301}COLE", "ecole"), ("Ångström", "angstrom"), ("naïve Ñandú", "naive nandu"),
            ("İstanbul", "istanbul"), ("Ørsted", "ørsted"), ("Straße", "straße"), ("Ça\u{3000}Va", "ca va"),
            ("1\u{A0}200\u{202F}SAS", "1 200 sas"), ("Hello\u{85}World", "hello world"), ("\u{2028}Éa\u{2029}", "ea"),
        ])
        func foldsCaseAccentsAndWhitespace(_ name: String, expected: String) {
            expectKey(name, expected)
        }

        @Test(arguments: [
            ("Calanques Pay", "calanques pay"), ("  MIXED\tCase\n\nName  ", "mixed case name"), ("", ""), ("   \t", ""),
            ("ACME-42 & Co.", "acme-42 & co."), ("a\u{0B}b\u{0C}c\r\nd", "a b c d"),
        ])
        func foldsASCII(_ name: String, expected: String) {
            expectKey(name, expected)
        }

        @Test func lowercasesOnlyLettersInASCII() {
            let printable = String((0x21...0x7E).map { Character(Unicode.Scalar(UInt8($0))) })
            #expect(printable.searchKey == printable.lowercased())
        }

        @Test(arguments: [" ", "\t", "\n", "\r\n", "\u{0B}", "\u{0C}", "  \t \n "])
        func collapsesWhitespaceAlikeOnBothPaths(_ whitespace: String) {
            expectKey(whitespace + "A" + whitespace + "B" + whitespace, "a b")
            expectKey(whitespace + "É" + whitespace + "B" + whitespace, "e b")
        }

        @Test(arguments: [
            ("שלום עולם", "שלום עולם"), ("مرحبا بالعالم", "مرحبا بالعالم"), ("Café  מרחב", "cafe מרחב"),
            ("ABC \u{200F}שלום", "abc שלום"),  // the right-to-left mark is default-ignorable: keys drop it
        ])
        func leavesRightToLeftTextAlone(_ name: String, expected: String) {
            expectKey(name, expected)
        }

        @Test func dropsHebrewVowelPointsLikeAccents() {
            // Niqqud are nonspacing marks too: "שָׁלוֹם" is found by "שלום".
            expectKey("שָׁלוֹם", "שלום")
        }

        @Test(arguments: ["  Société   Générale ", "Calanques Pay", "E\u{301}COLE", "שלום עולם"])
        func isStable(_ name: String) {
            expectKey(name.searchKey, name.searchKey)
        }
    }
}
