import CampaignWatchCore
import Foundation

/// Generated posts and rules for the matching benchmark: everyday Russian, Kazakh and English
/// vocabulary with case endings, campaign vocabulary, names, hashtags, emoji, links and a share
/// of evasive spellings; rules mostly over rarer words, as real watchlists are.
struct BenchCorpus {
    let russian = """
        и в не на я что он с как а то все она так его но да ты к у же вы за бы по только ее мне было вот от меня еще нет о из ему \
        теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может \
        они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того \
        потому этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех никогда можно при наконец \
        два об другой хоть после над больше тот через эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой \
        перед иногда лучше чуть том нельзя такой им более всегда конечно всю между город страна люди работа жизнь дорога школа \
        больница завод область район село улица дом семья дети вопрос решение закон бюджет налог цена зарплата пенсия вода свет газ \
        сегодня завтра вчера утром вечером новости встреча жители собрание проект программа развитие строительство ремонт поддержка \
        выборы кандидат партия депутат аким министр правительство парламент мажилис сенат округ участок избиратели комиссия
        """.split(separator: " ").map(String.init)
    let kazakh = """
        және мен сен ол біз сіз олар бұл сол осы не кім қандай қалай неге қашан қайда бар жоқ емес еді болды болады керек үшін \
        туралы бойынша дейін кейін бірге арқылы сияқты ғана да де та те бір екі үш төрт бес алты жеті сегіз тоғыз он жүз мың \
        үй қала ауыл жол мектеп аурухана жұмыс өмір халық ел жер су жарық газ баға жалақы зейнетақы бала отбасы ана әке аға іні \
        бүгін ертең кеше таңертең кешке жаңалық кездесу тұрғындар жиналыс жоба бағдарлама даму құрылыс жөндеу қолдау көмек \
        сайлау кандидат партия депутат әкім министр үкімет парламент мәжіліс сенат округ учаске сайлаушылар комиссия мемлекет \
        жақсы жаман үлкен кіші жаңа ескі көп аз ұзақ қысқа биік төмен ыстық суық әдемі маңызды қажет мүмкін айту келу бару алу беру
        """.split(separator: " ").map(String.init)
    let english = """
        the be to of and a in that have i it for not on with he as you do at this but his by from they we say her she or an will \
        my one all would there their what so up out if about who get which go me when make can like time no just him know take \
        people into year your good some could them see other than then now look only come its over think also back after use two \
        how our work first well way even new want because any these give day most us city country road school hospital factory \
        region district village street house family children question decision law budget tax price salary pension water power \
        today tomorrow yesterday morning evening news meeting residents project programme development construction repair help \
        election candidate party deputy mayor minister government parliament district station voters commission state campaign
        """.split(separator: " ").map(String.init)
    let russianEndings = ["", "", "", "а", "у", "ом", "е", "ы", "ов", "ами", "ах", "ой", "ая", "ие", "ого", "ему"]
    let kazakhEndings = ["", "", "", "ға", "да", "дан", "ның", "ды", "лар", "лары", "ға", "мен", "ке", "те", "ден", "нің"]
    let englishEndings = ["", "", "", "", "s", "ed", "ing", "er", "ly"]
    let campaign = [
        "голосуйте за нас", "поддержите нас на выборах", "проголосуйте за Марата Жыланбаева", "отдайте свой голос",
        "маған дауыс беріңіздер", "бізді қолдаңыздар", "мені сайлаңыздар", "vote for us", "support our campaign",
        "donate to help us win", "if we win we will", "#VoteForMarat", "#ГолосуйЗаНас", "#бізбіргеміз",
        "г о л о с у й т е", "гoлocуйтe зa нac", "dauys berińizder", "qoldañyzdar", "Жыланбаев", "Zhylanbayev",
    ]
    let emoji = ["🔥", "👍", "🇰🇿", "✅", "🗳️", "💪", "❤️", "👉", "😀", "🙏"]
    let syllablesCyrillic = ["ба", "ра", "ко", "ли", "на", "ту", "ме", "са", "жы", "қа", "ғы", "ді", "ор", "ен", "ст", "пр", "ол", "ау", "өз", "ұл"]
    let syllablesLatin = ["ba", "ra", "ko", "li", "na", "tu", "me", "sa", "vo", "te", "qu", "ex", "or", "en", "st", "pr", "ol", "ai", "is", "un"]
    /// Rarer words (surnames, places, slogans, jargon): the key words of most rules.
    let rare: [String]

    init() {
        var random = SplitMix(seed: 7)
        var words = Set<String>()
        while words.count < 20_000 {
            let latin = random.chance(35)
            let syllables = latin ? syllablesLatin : syllablesCyrillic
            var word = ""
            for _ in 0..<(2 + random.below(3)) { word += random.pick(syllables) }
            words.insert(word)
        }
        rare = words.sorted()
    }

    // MARK: Posts

    func posts(bytes: Int, _ random: inout SplitMix) -> [String] {
        var result: [String] = []
        var total = 0
        while total < bytes {
            let post = post(&random)
            total += post.utf8.count
            result.append(post)
        }
        return result
    }

    private func post(_ random: inout SplitMix) -> String {
        let language = random.below(10)
        let (vocabulary, endings) = language < 4 ? (russian, russianEndings) : language < 7 ? (kazakh, kazakhEndings) : (english, englishEndings)
        var out = ""
        let words = 20 + random.below(300)
        var sentenceStart = true
        for _ in 0..<words {
            var word: String
            let roll = random.below(1000)
            if roll < 4 {
                word = random.pick(campaign)
            } else if roll < 20 {
                word = random.pick(rare)
            } else if roll < 28 {
                word = "#" + random.pick(vocabulary).capitalized + random.pick(vocabulary).capitalized
            } else {
                word = random.pick(vocabulary) + random.pick(endings)
            }
            if sentenceStart { word = word.prefix(1).uppercased() + word.dropFirst(); sentenceStart = false }
            out += word
            let punctuation = random.below(100)
            if punctuation < 8 { out += ". "; sentenceStart = true }
            else if punctuation < 14 { out += ", " }
            else if punctuation < 16 { out += " " + random.pick(emoji) + " " }
            else if punctuation < 17 { out += "! https://t.me/s/channel_\(random.below(1000))/\(random.below(100_000)) " }
            else { out += " " }
        }
        return out
    }

    // MARK: Rules

    func rules(_ count: Int, _ random: inout SplitMix) -> [RuleDefinition] {
        (0..<count).map { i in
            RuleDefinition(id: "rule-\(i)", description: "generated", query: query(&random),
                           severity: .medium, tags: ["bench"])
        }
    }

    /// A rule's key word: a rarer word (surname, place, slogan word) or campaign vocabulary.
    private func keyWord(_ random: inout SplitMix) -> String {
        random.chance(97) ? random.pick(rare) : random.pick(campaignWords)
    }

    /// A context word beside NEAR: an everyday content word (never a function word such as "и"
    /// or "the", which no watchlist uses).
    private func contextWord(_ random: inout SplitMix) -> String {
        let language = random.below(3)
        var word = ""
        while word.count < 5 { word = random.pick(language == 0 ? russian : language == 1 ? kazakh : english) }
        return word
    }

    private var campaignWords: [String] {
        ["голосуйте", "поддержите", "проголосуйте", "беріңіздер", "қолдаңыздар", "сайлаңыздар", "бергиле", "колдогула", "vote", "donate"]
    }

    private func wildcard(_ random: inout SplitMix) -> String {
        var word = keyWord(&random)
        while word.count < 5 { word = keyWord(&random) }
        return String(word.prefix(max(4, word.count - 2))) + "*"
    }

    private func query(_ random: inout SplitMix) -> String {
        switch random.below(100) {
        case 0..<30:
            return keyWord(&random)
        case 30..<50:
            return wildcard(&random) + " " + (random.chance(50) ? keyWord(&random) : contextWord(&random))
        case 50..<70:
            return "\"\(keyWord(&random)) \(random.chance(50) ? wildcard(&random) : keyWord(&random))\" OR \(keyWord(&random))"
        case 70..<95:
            let right = random.chance(20) ? "@names" : contextWord(&random)
            return "(\(keyWord(&random)) OR \(wildcard(&random))) NEAR/\(1 + random.below(6)) (\(right) OR \"\(contextWord(&random)) \(keyWord(&random))\")"
        default:
            return "\(keyWord(&random)) AND NOT \(contextWord(&random))"
        }
    }

    /// The plain words of the rules (no wildcards, no operators), for a literal-only comparison.
    func plainWords(_ rules: [RuleDefinition]) -> [String] {
        var words = Set<String>()
        for rule in rules {
            for piece in rule.query.split(whereSeparator: { " ()\"".contains($0) }) {
                let word = String(piece)
                if word.hasSuffix("*") || word.hasPrefix("@") || ["AND", "OR", "NOT"].contains(word) || word.hasPrefix("NEAR/") { continue }
                words.insert(word)
            }
        }
        return words.sorted()
    }
}
