import CampaignWatch
import CampaignWatchCore
import Foundation
import Testing

/// The example rules of config/rules.d: every rule with texts it must match (evasive spellings
/// included) and texts it must not (reporting, neutral uses of the same words).
@Suite struct ExampleRulesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let engine: RuleEngine = {
        let dir = root.appendingPathComponent("config/rules.d")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path))?.filter { $0.hasSuffix(".yaml") }.sorted() ?? []
        var rules: [RuleDefinition] = []
        for file in files { rules += (try? RulesFile.load(dir.appendingPathComponent(file).path)) ?? [] }
        return try! RuleEngine(rules: rules)
    }()

    static let marat = engine.bind(names: ["Марат Жыланбаев", "Жыланбаев", "Zhylanbayev", "Marat Zhylanbayev"])

    struct Case: Sendable, CustomTestStringConvertible {
        var rule: String
        var matches: [String]
        var misses: [String]
        var testDescription: String { rule }
    }

    static let cases: [Case] = [
        Case(rule: "call-to-vote-ru",
             matches: ["Голосуйте за нас 18 марта!", "Все на участки — проголосуйте за Марата Жыланбаева!",
                       "Отдайте свой голос за кандидата №3", "гoлocуйтe зa нac", "Г О Л О С У Й Т Е  за нас",
                       "Голосуем за Жыланбаева!", "golosuyte za nas"],
             misses: ["Избиратели проголосовали за нового акима", "В воскресенье голосуют жители трёх районов",
                      "Все на выборы! Ваш голос важен", "ЦИК подвёл итоги голосования за кандидатов"]),
        Case(rule: "choose-us-ru",
             matches: ["Выбирайте нас — мы знаем, что делать", "Поставьте галочку напротив моей фамилии"],
             misses: ["Выберите тариф и оплатите онлайн", "Как выбирают депутатов: объясняем"]),
        Case(rule: "call-to-vote-kk",
             matches: ["Маған дауыс беріңіздер!", "Бізге дауыс беріңіз, жерлестер!", "Жыланбаевқа дауыс беріңдер",
                       "Mağan dauys berıñızder!", "Maǵan daýys berińizder", "маган дауыс бериниздер",
                       "Magan dauys beringizder"],
             misses: ["Сайлаушылар бізге дауыс берді деп хабарлады", "Халық сайлауда дауыс берді",
                      "Дауыс беру учаскелері сағат 7-де ашылады"]),
        Case(rule: "elect-us-kk",
             matches: ["Мені сайлаңыздар!", "Бізді таңдаңыздар", "Meni saılańyzdar"],
             misses: ["Сайлау комиссиясы нәтижелерді жариялады", "Тарифті таңдаңыз"]),
        Case(rule: "call-to-vote-ky",
             matches: ["Мага добуш бергиле!", "Бизге добуш бериңиздер, мекендештер", "Жыланбаевга добуш бергиле",
                       "Bizge dobush beringizder"],
             misses: ["Шайлоочулар эртең добуш беришет", "Добуш берүү жайлары саат 8де ачылат"]),
        Case(rule: "elect-us-ky",
             matches: ["Мени шайлагыла!", "Бизди тандагыла, биз сиздер үчүн иштейбиз"],
             misses: ["Шайлоо комиссиясы жыйынтыктарды жарыялады"]),
        Case(rule: "call-to-vote-en",
             matches: ["Vote for us on Sunday!", "Cast your vote for Marat Zhylanbayev", "#VoteForMarat", "V O T E for me", "vоte for us"],
             misses: ["Residents will vote on Sunday", "Officials said 60% of voters cast their ballots", "The vote was postponed"]),
        Case(rule: "support-request-ru",
             matches: ["Поддержите нас на выборах!", "Прошу вашей поддержки, дорогие земляки, поддержите меня",
                       "Поддержите Марата Жыланбаева"],
             misses: ["Правительство поддержит фермеров", "Поддержка малого бизнеса выросла"]),
        Case(rule: "support-request-kk",
             matches: ["Мені қолдаңыздар!", "Бізді қолдаңдар", "Meni qoldańyzdar", "Бізді колданыздар"],
             misses: ["Үкімет фермерлерді қолдайды", "Қолдау көрсету бағдарламасы жалғасады"]),
        Case(rule: "support-request-ky",
             matches: ["Мени колдогула!", "Бизди колдоп бергиле", "Жыланбаевды колдоңуздар"],
             misses: ["Өкмөт фермерлерди колдойт", "Колдоо программасы уланат"]),
        Case(rule: "support-request-en",
             matches: ["Please support us on election day", "Stand with us!", "Support Marat Zhylanbayev"],
             misses: ["The ministry will support farmers", "Support for the bill grew"]),
        Case(rule: "fundraising-ru",
             matches: ["Помогите нам победить — переведите на Kaspi", "Пожертвуйте на нашу кампанию, чтобы выиграть",
                       "Скиньтесь на победу!"],
             misses: ["Помогите найти собаку", "Фонд отчитался о пожертвованиях на лечение детей"]),
        Case(rule: "fundraising-kk",
             matches: ["Жеңіске жету үшін көмектесіңіздер!", "Жеңу үшін ақша аударыңыздар"],
             misses: ["Көршіге көмектесіңіздер", "Жеңіс күні құтты болсын"]),
        Case(rule: "fundraising-ky",
             matches: ["Жеңишке жетүү үчүн жардам бергиле!", "Жеңебиз, акча которгула"],
             misses: ["Кошунага жардам бергиле", "Жеңиш күнү менен"]),
        Case(rule: "fundraising-en",
             matches: ["Donate now and help us win!", "Chip in $5 so we can win", "Help us win this election"],
             misses: ["Donate blood this weekend", "The campaign reported donations of $2m"]),
        Case(rule: "outcome-promise-ru",
             matches: ["Если мы победим, тарифы снизятся", "Если не выберете нас, завод закроют",
                       "Если Жыланбаев победит, город изменится"],
             misses: ["Если пойдёт дождь, митинг перенесут", "Аналитики: если партия победит, курс изменится"]),
        Case(rule: "outcome-promise-kk",
             matches: ["Егер біз жеңсек, тарифтер төмендейді", "Мені сайласаңыздар, жол салынады", "Biz jeńsek, jol salynady"],
             misses: ["Біз жеңдік!", "Сайлау нәтижесі белгілі болды"]),
        Case(rule: "outcome-promise-ky",
             matches: ["Эгер биз жеңсек, жол курулат", "Мени шайласаңыздар, мектеп курулат"],
             misses: ["Биз жеңдик!", "Шайлоонун жыйынтыгы белгилүү болду"]),
        Case(rule: "outcome-promise-en",
             matches: ["If we win, taxes go down", "If I'm elected, I will fix the roads", "If Zhylanbayev wins, the city changes"],
             misses: ["If it rains, the rally moves indoors", "We won the match"]),
    ]

    @Test func everyRuleHasCases() {
        let tested = Set(Self.cases.map(\.rule))
        #expect(Self.engine.rules.count >= 19)
        for rule in Self.engine.rules {
            #expect(tested.contains(rule.id), "no cases for \(rule.id)")
            #expect(!rule.description.isEmpty && !rule.tags.isEmpty, "\(rule.id) needs a description and tags")
        }
    }

    @Test(arguments: cases)
    func ruleMatchesWhatItMust(_ c: Case) {
        for text in c.matches {
            let found = Self.engine.match(text: text, names: Self.marat).map(\.rule)
            #expect(found.contains(c.rule), "\(c.rule) should match: \(text) (normalised: \(Self.engine.normalised(text)))")
        }
        for text in c.misses {
            let found = Self.engine.match(text: text, names: Self.marat).map(\.rule)
            #expect(!found.contains(c.rule), "\(c.rule) should not match: \(text)")
        }
    }
}
