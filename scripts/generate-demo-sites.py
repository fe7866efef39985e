#!/usr/bin/env python3
"""Writes the demo's bundled sources, config/demo/sites/, and the case table of config/demo/README.md.

Every post of the demo is declared once, below, with the outcome it must have; this script
turns the declarations into the answers the real platforms serve (t.me/s pages, Bluesky
getAuthorFeed JSON, Mastodon lookup and statuses JSON, YouTube channel Atom, an RSS 2.0 feed in
windows-1251 and an Atom feed), checks each post's period against the election calendars of
config/elections.d/, and rewrites the table between the markers in config/demo/README.md.
Tests/CLITests/DemoTests.swift holds the same expected alerts, written out by hand.

Run from anywhere: `python3 scripts/generate-demo-sites.py`. Output is deterministic.
"""

import base64
import datetime as dt
import hashlib
import html
import json
import os
import re
import shutil
import urllib.parse

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "config", "demo")
SITES = os.path.join(ROOT, "sites")
README = os.path.join(ROOT, "README.md")

# Both elections' zones were UTC+06 on every date used here (Asia/Almaty in 2023, Asia/Bishkek).
ZONE = dt.timezone(dt.timedelta(hours=6))

# The calendars of config/elections.d/, as instants: (kind, from inclusive, to exclusive).
ELECTIONS = {
    "kz-mazhilis-2023": [
        ("pre-campaign", "2023-01-19 00:00", "2023-02-18 18:00"),
        ("campaign", "2023-02-18 18:00", "2023-03-18 00:00"),
        ("silence", "2023-03-18 00:00", "2023-03-19 00:00"),
        ("voting", "2023-03-19 00:00", "2023-03-19 20:00"),
    ],
    "kg-jogorku-kenesh-2025": [
        ("pre-campaign", "2025-09-30 00:00", "2025-11-10 00:00"),
        ("campaign", "2025-11-10 00:00", "2025-11-29 08:00"),
        ("silence", "2025-11-29 08:00", "2025-11-30 08:00"),
        ("voting", "2025-11-30 08:00", "2025-11-30 20:00"),
    ],
}


def local(text):
    """`2023-01-28 20:02:11` (wall clock, UTC+06) → aware datetime."""
    fmt = "%Y-%m-%d %H:%M:%S" if text.count(":") == 2 else "%Y-%m-%d %H:%M"
    return dt.datetime.strptime(text, fmt).replace(tzinfo=ZONE)


def period_of(election, instant):
    for kind, start, end in ELECTIONS[election]:
        if local(start) <= instant < local(end):
            return kind
    return None


def utc(instant):
    return instant.astimezone(dt.timezone.utc)


def digest(*parts):
    return hashlib.sha256("\x1f".join(parts).encode()).digest()


def b32(data, alphabet="abcdefghijklmnopqrstuvwxyz234567"):
    bits = "".join(f"{b:08b}" for b in data)
    return "".join(alphabet[int(bits[i:i + 5].ljust(5, "0"), 2)] for i in range(0, len(bits), 5))


# ---------------------------------------------------------------------------------------------
# The cases. `alert` is (election, period, [rule ids]) when the post must raise a violation;
# `why` says in a sentence why it must or must not. `judged` overrides the instant the judge
# uses (a Bluesky post whose createdAt is backdated, a Mastodon status edited later).
# ---------------------------------------------------------------------------------------------

KZ, KG = "kz-mazhilis-2023", "kg-jogorku-kenesh-2025"


class P:
    def __init__(self, key, at, text, alert=None, why="", **extra):
        self.key, self.at, self.text, self.alert, self.why = key, local(at), text, alert, why
        self.extra = extra

    def judged_at(self):
        return local(self.extra["judged"]) if "judged" in self.extra else self.at


ACCOUNTS = []


def account(subject, elections, platform, handle, posts, **extra):
    ACCOUNTS.append(dict(subject=subject, elections=elections, platform=platform, handle=handle, posts=posts, **extra))


# --- Asel Omarova, candidate, Almaty (kz-mazhilis-2023) ---------------------------------------

account("omarova", [KZ], "telegram", "asel_omarova_kz", title="Асель Омарова", photo="А",
        description="Кандидат в депутаты Мажилиса, Алматы. Официальный канал. Ресми арна.",
        subscribers="12.6K", first_id=410, older=True, posts=[
    P(410, "2023-01-19 16:40:05",
      "Сегодня подписан указ о внеочередных выборах в Мажилис 19 марта. Я приняла решение участвовать. Подробности — скоро.",
      why="announces her candidacy; no call to vote"),
    P(411, "2023-01-28 20:02:11",
      "Друзья, спасибо за поддержку! Выборы уже 19 марта. Голосуйте за Асель Омарову — вместе сделаем Алматы удобным городом.",
      alert=(KZ, "pre-campaign", ["call-to-vote-ru"]), photo=True, signer="Дана Ким",
      why="a call to vote for her three weeks before the campaign opens"),
    P(412, "2023-02-06 12:30:40",
      "Qūrmetti almatylyqtar! 19 nauryzda mağan dauys beriñizder. Birge jeñemiz!",
      alert=(KZ, "pre-campaign", ["call-to-vote-kk"]), signer="Ержан Сапаров", edited=True,
      why="Kazakh in the 2021 Latin alphabet (“vote for me on 19 March”); the rule is written in Cyrillic"),
    P(413, "2023-02-12 11:05:00",
      "Провели субботник во дворах Орбиты-3. Спасибо соседям, которые вышли с лопатами! ❄",
      photo=True, why="neighbourhood clean-up report, no campaigning"),
    P(414, "2023-02-20 11:00:00",
      "Регистрация завершена, кампания началась. Голосуйте за Асель Омарову 19 марта! Программа: omarova.example.kz/programma",
      why="a call to vote inside the official campaign: allowed"),
    P(415, "2023-03-10 18:30:00",
      "Маған дауыс беріңіздер! Алматыға — таза ауа және жақсы мектептер.",
      signer="Дана Ким", why="a call to vote (Kazakh) inside the official campaign: allowed"),
    P(416, "2023-03-18 10:30:12",
      "Завтра важный день. Гoлocуйтe зa нaс — номер 3 в бюллетене!",
      alert=(KZ, "silence", ["call-to-vote-ru"]), photo=True,
      why="a call to vote on the day of silence, with Latin o, c, e, a hidden among the Cyrillic letters"),
    P(417, "2023-03-18 12:00:00",
      "Сегодня день тишины. Спасибо всем, кто был с нами все эти недели.",
      why="thanks on the day of silence, no call"),
    P(418, "2023-03-19 09:10:30",
      "Я проголосовала. А вы? Все на выборы! Участки открыты до 20:00.",
      photo=True, why="a report of her own vote and a general call to turn out, not to vote for anyone"),
    P(419, "2023-03-19 21:40:00",
      "Участки закрыты. Спасибо каждому, кто пришёл голосовать. Ждём итогов!",
      why="after the polls closed at 20:00: in no period, not judged"),
])

account("omarova", [KZ], "bluesky", "omarova.example.org", display="Асель Омарова", posts=[
    P("feb02", "2023-02-02 19:15:00",
      "Almaty deserves clean air. This winter I measured PM2.5 in 12 neighbourhoods — the map is at omarova.example.kz/smog #AlmatyBreathes",
      why="a policy post in English with a link card; no call to vote", card=("https://omarova.example.kz/smog",
      "Карта смога Алматы / Almaty smog map", "PM2.5 measured in 12 neighbourhoods, January 2023")),
    P("feb10", "2023-02-10 13:00:00",
      "Met teachers at School No. 54 today. 38 children in one class is too many — their stories stay with me.",
      why="meeting report, no campaigning", alt="Учителя школы №54 / Teachers of School No. 54"),
    P("feb25", "2023-02-25 10:00:00",
      "Support my campaign: volunteers meet every Saturday at 10:00 at our office on Abay Avenue. Sign up: omarova.example.kz/volunteer",
      why="asks for support inside the official campaign: allowed"),
    P("mar17", "2023-03-17 22:50:00",
      "Tomorrow, cast your vote for us. Every vote counts! 🗳️",
      alert=(KZ, "silence", ["call-to-vote-en"]), judged="2023-03-18 11:20:31", indexed="2023-03-18 11:20:31",
      why="createdAt says 17 March (campaign), but the network first saw it at 11:20 on the day of silence: "
          "a backdated post is judged by indexedAt"),
    P("mar19", "2023-03-19 08:05:00",
      "Участки открыты! Не забудьте удостоверение личности. Все на выборы!", lang="ru",
      why="a general call to turn out on voting day, not for anyone"),
])

account("omarova", [KZ], "mastodon", "@asel@social.example.org", display="Асель Омарова", instance="social.example.org",
        user="asel", lang="kk", created="2022-12-02 09:14:00", posts=[
    P("jan25", "2023-01-25 18:00:00", "Жаңа плакаттар баспаханадан келді 🎉",
      alert=(KZ, "pre-campaign", ["call-to-vote-ru"]),
      media=[("image", "Плакат: «Голосуйте за Асель Омарову! 19 марта»")],
      why="the text only says new posters arrived; the image description carries the call to vote"),
    P("feb08", "2023-02-08 20:00:00", "Бүгін сайлау комиссиясына құжаттарымды тапсырдым.",
      spoiler="Сайлау туралы", why="submitting her documents, behind a content warning: no campaigning"),
    P("mar01", "2023-03-01 15:00:00",
      "Кездесуге келгендердің бәріне рахмет!\n19 наурызда маған дауыс беріңіздер — 3-округ, Алматы.",
      alert=(KZ, "silence", ["call-to-vote-kk"]), edited="2023-03-18 09:40:27", judged="2023-03-18 09:40:27",
      media=[("image", "Кездесу, Әуезов ауданы / Meeting in Auezov district")],
      why="published in the campaign, edited at 09:40 on the day of silence: content put up during silence is judged there"),
    P("mar19", "2023-03-19 10:00:00", "Сайлау учаскелері 20:00-ге дейін ашық. Құжатыңызды ұмытпаңыз!",
      why="polling-station hours on voting day"),
])

account("omarova", [KZ], "youtube", "UCq3Yx8mZrT0bN2vKcL5aPwE", title="Асель Омарова", posts=[
    P("smog", "2023-02-01 12:00:00", "Почему зимой в Алматы нечем дышать и что может сделать город. Гость — эколог Дина Сарсенова.",
      video_title="Смог в Алматы: разговор с экологом", why="a policy interview, no call"),
    P("debate", "2023-03-03 19:00:00",
      "Полная запись дебатов кандидатов округа №3.\n\nГолосуйте за Асель Омарову 19 марта!",
      video_title="Дебаты кандидатов округа №3 — полная запись", why="a call to vote inside the official campaign: allowed"),
    P("appeal", "2023-03-18 15:00:00",
      "Завтра — выборы в Мажилис. Поддержите меня и мою команду: номер 3 в бюллетене, округ №3, Алматы.",
      video_title="Асель Омарова: обращение к избирателям", alert=(KZ, "silence", ["support-request-ru"]),
      why="an appeal for support published on the day of silence"),
])

# --- Green Steppe Party (kz-mazhilis-2023) ---------------------------------------------------

account("green-steppe", [KZ], "telegram", "zhasyl_dala_party", title="Жасыл дала | Green Steppe", photo="Ж",
        description="«Жасыл дала» партиясының ресми арнасы. Официальный канал партии «Жасыл дала».",
        subscribers="31.2K", first_id=2301, older=True, posts=[
    P(2301, "2023-01-19 15:20:00",
      "Мемлекет басшысы Мәжіліс депутаттарының кезектен тыс сайлауын 19 наурызға тағайындады. «Жасыл дала» партиясы сайлауға қатысады.",
      why="news of the decree and that the party will run"),
    P(2302, "2023-02-03 19:00:00",
      "Экологиялық бағдарламамыз дайын 🌱 Толығырақ: zhasyldala.example.kz/bagdarlama #ДауысБер #ЖасылДала",
      alert=(KZ, "pre-campaign", ["call-to-vote-kk"]), photo=True,
      why="the call (“give your vote”) is only in the hashtags #ДауысБер #ЖасылДала"),
    P(2303, "2023-02-18 17:40:00",
      "Через 20 минут — старт кампании! Голосуйте за партию «Жасыл дала» — номер 5 в бюллетене!",
      alert=(KZ, "pre-campaign", ["call-to-vote-ru"]),
      why="twenty minutes before the campaign opens at 18:00"),
    P(2304, "2023-02-18 18:05:00",
      "Кампания басталды! «Жасыл дала» партиясына дауыс беріңіздер! 🌱",
      why="five minutes after the campaign opened: allowed"),
    P(2305, "2023-03-18 09:00:00",
      "Сайлау учаскелері 19 наурызда сағат 07:00-ден 20:00-ге дейін жұмыс істейді.",
      forwarded=("Орталық сайлау комиссиясы", "https://t.me/saylau_okk_demo/4120"),
      why="a forwarded notice of the election commission on the day of silence"),
    P(2306, "2023-03-19 08:00:00",
      "Сайлау учаскелері ашылды. Учаскеңізді saylau.example.kz сайтынан табыңыз.",
      edited=True, why="polls are open, where to find your station"),
    P(2307, "2023-03-19 19:20:00",
      "Последний час! г о л о с у й т е за партию «Жасыл дала» — номер 5!",
      alert=(KZ, "voting", ["call-to-vote-ru"]),
      why="a call to vote on voting day, the verb spelled out letter by letter"),
])

account("green-steppe", [KZ], "rss", "https://green-steppe.example.org/news/feed.xml", posts=[
    P("sezd", "2023-01-24 12:00:00",
      "На внеочередном съезде делегаты утвердили список из 25 кандидатов. Первым номером идёт председатель партии Ерлан Сейткалиев.",
      item_title="Съезд партии утвердил партийный список", slug="2023/01/sezd-partii",
      why="party congress news"),
    P("fond", "2023-02-09 16:00:00",
      "Друзья, пожертвуйте на нашу победу: каждый тенге приближает «Жасыл дала» к Мажилису. Реквизиты — на сайте партии.",
      item_title="Открыт сбор средств на избирательную кампанию", slug="2023/02/sbor-sredstv",
      alert=(KZ, "pre-campaign", ["fundraising-ru"]),
      why="asks for money “for our victory” before the campaign; the feed is in windows-1251"),
    P("programma", "2023-03-06 11:00:00",
      "Десять шагов к чистому воздуху: газ вместо угля, электробусы, зелёный пояс. Голосуйте за партию «Жасыл дала» 19 марта!",
      item_title="Программа партии: десять шагов к чистому воздуху", slug="2023/03/programma",
      why="a call to vote inside the official campaign: allowed"),
    P("itogi", "2023-03-20 10:00:00",
      "По предварительным данным ЦИК, партия «Жасыл дала» набрала 7,2% и проходит в Мажилис.",
      item_title="Итоги выборов: «Жасыл дала» проходит в Мажилис", slug="2023/03/itogi",
      why="after the election: in no period, not judged"),
])

# --- Nurlan Media, a news channel read through a mirror (kz-mazhilis-2023) --------------------

account("nurlan-media", [KZ], "telegram", "nurlan_media_news", title="Nurlan Media | Новости", photo="N",
        description="Новости Казахстана. Реклама: @nurlan_media_ads", subscribers="58.9K", first_id=5120, older=True,
        mirror="tg-mirror.example.org", posts=[
    P(5120, "2023-01-19 14:05:00", "📢 Подписан указ о внеочередных выборах в Мажилис. Дата голосования — 19 марта.",
      why="news"),
    P(5121, "2023-02-18 19:00:00", "ЦИК завершил регистрацию: в бюллетене по партийным спискам — 7 партий.",
      why="news"),
    P(5122, "2023-03-05 13:30:00",
      "Политологи: если «Жасыл дала» выиграет хотя бы 7%, партия впервые пройдёт в Мажилис.",
      why="an analysts' forecast in the third person: reporting, and inside the campaign"),
    P(5123, "2023-03-18 14:00:00",
      "#реклама Поддержите кандидата Асель Омарову! Завтра — номер 3 в бюллетене, округ №3.",
      alert=(KZ, "silence", ["support-request-ru"]), photo=True,
      why="a paid campaign advertisement run by a media outlet on the day of silence"),
    P(5124, "2023-03-19 12:10:00", "Явка на 12:00 составила 31,4%, сообщает ЦИК.", why="turnout figures"),
    P(5125, "2023-03-19 14:30:00",
      "Кандидат Асель Омарова проголосовала на участке №145 в Бостандыкском районе.",
      photo=True, why="reports that a candidate voted"),
])

# --- Bakyt Kasymov, candidate, Bishkek (kg-jogorku-kenesh-2025) -------------------------------

account("kasymov", [KG], "telegram", "bakyt_kasymov_kg", title="Бакыт Касымов", photo="Б",
        description="Жогорку Кеңештин депутаттыгына талапкер, Бишкек, 5-округ.", subscribers="8.4K",
        first_id=88, older=True, posts=[
    P(88, "2025-09-30 18:00:00",
      "Шайлоо дайындалды. Мен талапкерлигимди коём: документтерди Борбордук шайлоо комиссиясына тапшырдым.",
      why="announces his candidacy"),
    P(89, "2025-10-05 12:00:00",
      "Урматтуу шайлоочулар! 30-ноябрда мага добуш бериңиздер. Бирге жеңебиз!",
      alert=(KG, "pre-campaign", ["call-to-vote-ky"]), photo=True,
      why="a call to vote for him (Kyrgyz) five weeks before the campaign opens"),
    P(90, "2025-10-15 17:00:00",
      "Бүгүн Аламүдүн базарында сатуучулар менен жолуктум. Ижара акысы боюнча көйгөйлөрдү уктум.",
      photo=True, why="meeting market traders, no campaigning"),
    P(91, "2025-11-12 10:00:00", "Мага добуш бергиле! 5-округ, Бишкек.",
      why="a call to vote inside the official campaign: allowed"),
    P(92, "2025-11-29 10:00:00", "Бүгүн — жымжырттык күнү. Эртең участкаларда жолугушабыз!",
      why="day of silence: “see you at the polling stations”, no call"),
    P(93, "2025-11-30 09:00:00", "Добуш бердим. Шайлоо участкаларына барыңыздар, ар бир добуш маанилүү!",
      photo=True, why="reports his own vote, general call to turn out"),
])

account("kasymov", [KG], "bluesky", "kasymov.example.org", display="Bakyt Kasymov", posts=[
    P("oct20", "2025-10-20 19:00:00",
      "Our campaign runs on neighbours, not on oligarchs. Donate today and help us win on November 30: kasymov.example.org/donate",
      alert=(KG, "pre-campaign", ["fundraising-en"]),
      why="asks for money “to help us win” before the campaign"),
    P("nov15", "2025-11-15 12:00:00",
      "Support my campaign: volunteers meet every Saturday at 10:00 at our office on Chui Avenue.",
      why="asks for support inside the official campaign: allowed"),
    P("nov29", "2025-11-29 20:00:00",
      "Silence day. Thank you to the 400 volunteers who knocked on doors with us this month.",
      why="thanks volunteers on the day of silence, no call"),
])

account("kasymov", [KG], "youtube", "UCz9Kd2LmQ7rXvB4nT1wYs0H", title="Бакыт Касымов", posts=[
    P("schools", "2025-10-10 18:00:00",
      "Бир класста 40 бала. Ата-энелер жана мугалимдер менен сүйлөштүк.",
      video_title="Бишкектеги мектептер: бир класста 40 бала", why="a report on schools, no call"),
    P("debate", "2025-11-20 20:00:00", "5-округдун талапкерлери: мектептер, жолдор, ижара.",
      video_title="Теледебаттар: 5-округ", why="debate recording inside the campaign"),
    P("appeal", "2025-11-29 19:00:00",
      "Эгер мени шайласаңыздар, Бишкектин ар бир районунда жаңы мектеп курулат. 30-ноябрь — 5-округ.",
      video_title="Бакыт Касымов: шайлоочуларга кайрылуу", alert=(KG, "silence", ["outcome-promise-ky"]),
      why="a promise “if you elect me” in a video published on the day of silence"),
])

# --- Ala-Too Union, party (kg-jogorku-kenesh-2025) -------------------------------------------

account("ala-too-union", [KG], "telegram", "alatoo_union", title="Ала-Тоо Бирлиги", photo="А",
        description="«Ала-Тоо Бирлиги» партиясынын расмий каналы.", subscribers="22.1K",
        first_id=301, older=True, posts=[
    P(301, "2025-09-30 12:00:00",
      "Президенттин Жарлыгы менен Жогорку Кеңешке мөөнөтүнөн мурда шайлоо 30-ноябрга дайындалды. «Ала-Тоо Бирлиги» шайлоого катышат.",
      why="news of the decree and that the party will run"),
    P(302, "2025-10-10 16:00:00",
      "Партиябыздын шайлоо штабы ачылды. Ыктыярчылар керек: чалыңыз 0312 000 000.",
      photo=True, why="opens its headquarters and recruits volunteers: organising, not a call to vote"),
    P(303, "2025-11-11 10:00:00", "«Ала-Тоо Бирлиги» үчүн добуш бергиле! Тизмеде 7-номер.",
      why="a call to vote inside the official campaign: allowed"),
    P(304, "2025-11-30 11:00:00",
      "Бүгүн шaйлоo! «Ала-Тоо Бирлиги» үчүн дoбуш бергиле — тизмеде 7-номер.",
      alert=(KG, "voting", ["call-to-vote-ky"]),
      why="a call to vote on voting day, with Latin a and o among the Cyrillic letters"),
    P(305, "2025-11-30 20:30:00", "Участкалар жабылды. Баарыңарга рахмат!",
      why="after the polls closed at 20:00: in no period, not judged"),
])

account("ala-too-union", [KG], "mastodon", "@alatoo@mastodon.example.org", display="Ала-Тоо Бирлиги / Ala-Too Union",
        instance="mastodon.example.org", user="alatoo", lang="ky", created="2024-03-11 10:00:00", posts=[
    P("oct22", "2025-10-22 12:00:00",
      "If we win, public transport in Bishkek will be free for students and pensioners. #AlaTooUnion", lang="en",
      alert=(KG, "pre-campaign", ["outcome-promise-en"]),
      why="a promise “if we win” before the campaign"),
    P("nov18", "2025-11-18 12:00:00", "Vote for us on November 30! List number 7. #AlaTooUnion", lang="en",
      why="a call to vote inside the official campaign: allowed"),
    P("nov29", "2025-11-29 12:00:00",
      "Бүгүн — жымжырттык күнү. Үгүт токтотулду, эртең шайлоо участкаларында көрүшөбүз.",
      spoiler="Шайлоо", why="announces that campaigning has stopped for the day of silence"),
])

account("ala-too-union", [KG], "rss", "https://ala-too-union.example.org/feed.xml", posts=[
    P("kurultai", "2025-10-01 11:00:00",
      "Съезд партиялык тизмени бекитти: 90 талапкер, анын ичинде 30 аял жана 20 жаш.",
      item_title="Партиянын съезди өттү", slug="news/2025/10/kurultai", why="party congress news"),
    P("fond", "2025-11-03 15:00:00",
      "Жеңишке жетүү үчүн каржылай жардам бергиле: ар бир сом маанилүү. Реквизиттер сайтта.",
      item_title="Шайлоо фонду: кантип жардам берсе болот", slug="news/2025/11/shailoo-fondu",
      alert=(KG, "pre-campaign", ["fundraising-ky"]),
      why="asks for money “to win” before the campaign (Atom feed)"),
    P("programma", "2025-11-21 10:00:00", "Программабыз даяр! Бизге добуш бергиле — тизмеде 7-номер.",
      item_title="«Ала-Тоо Бирлиги» программасын сунуштады", slug="news/2025/11/programma",
      why="a call to vote inside the official campaign: allowed"),
])

# --- Aibek Temirov, a blogger in Osh, proxy in both elections --------------------------------

account("temirov", [KG, KZ], "telegram", "aibek_temirov_blog", title="Айбек Темиров | блог", photo="А",
        description="Ош. Саясат, шаар, жашоо. Политика, город, жизнь.", subscribers="3.1K",
        first_id=1040, older=True, posts=[
    P(1040, "2023-02-12 13:00:00",
      "Мои подписчики из Казахстана! Поддержите наших на выборах 19 марта — голосуйте за «Жасыл дала»!",
      alert=(KZ, "pre-campaign", ["call-to-vote-ru", "support-request-ru"]),
      why="pre-campaign of the Kazakh election (prohibited); no Kyrgyz period then: one alert, for kz-mazhilis-2023 only"),
    P(1041, "2023-03-12 14:00:00",
      "Казахстанские друзья, 19 марта голосуйте за «Жасыл дала»! Сегодня был на их митинге в Шымкенте.",
      why="inside the Kazakh campaign: allowed; no Kyrgyz period then"),
    P(1042, "2024-05-01 10:00:00", "Блог снова работает после перерыва. Пишу о жизни Оша.",
      why="in no period of either election"),
    P(1043, "2025-11-20 18:00:00", "Ош, 30-ноябрда «Ала-Тоо Бирлиги» үчүн добуш бергиле!",
      why="inside the Kyrgyz campaign: allowed; the Kazakh calendar has no period then"),
    P(1044, "2025-11-29 21:00:00",
      "Эртең шайлоо. Баарыбыз «Ала-Тоо Бирлигин» колдойлу — биздин келечек!",
      alert=(KG, "silence", ["support-request-ky"]),
      why="the day of silence of the Kyrgyz election: one alert, for kg-jogorku-kenesh-2025 only"),
])


# ---------------------------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------------------------

LINK = re.compile(r"(?<![\w/@.])((?:[a-z0-9-]+\.)+example\.(?:kz|org|kg)(?:/[^\s]*[^\s.,!?:;)»])?)")
HASHTAG = re.compile(r"#(\w+)")


def is_emoji(ch):
    return ord(ch) >= 0x1F000 or ch in "❄"


def emoji_html(seq):
    hexname = "".join(f"{b:02X}" for b in seq.encode())
    return f"<i class=\"emoji\" style=\"background-image:url('//telegram.org/img/emoji/40/{hexname}.png')\"><b>{seq}</b></i>"


def telegram_html(text):
    """Plain text → the markup t.me writes inside tgme_widget_message_text."""
    out = []
    pos = 0
    tokens = []
    for m in LINK.finditer(text):
        tokens.append((m.start(), m.end(), "link", m.group(1)))
    for m in HASHTAG.finditer(text):
        if m.start() == 0 or not text[m.start() - 1].isalnum():
            tokens.append((m.start(), m.end(), "tag", m.group(1)))
    tokens.sort()
    for start, end, kind, value in tokens:
        out.append(plain_telegram(text[pos:start]))
        if kind == "link":
            href = "https://" + value
            out.append(f"<a href=\"{html.escape(href)}\" target=\"_blank\" rel=\"noopener\" "
                       f"onclick=\"return confirm('Open this link?\\n\\n'+this.href);\">{html.escape(value)}</a>")
        else:
            q = urllib.parse.quote("#" + value)
            out.append(f"<a href=\"?q={q}\">#{html.escape(value)}</a>")
        pos = end
    out.append(plain_telegram(text[pos:]))
    return "".join(out)


def plain_telegram(text):
    result = []
    i = 0
    while i < len(text):
        ch = text[i]
        if is_emoji(ch):
            seq = ch
            while i + 1 < len(text) and (text[i + 1] == "\ufe0f" or 0x1F1E6 <= ord(text[i + 1]) <= 0x1F1FF and len(seq) == 1
                                         and 0x1F1E6 <= ord(ch) <= 0x1F1FF):
                i += 1
                seq += text[i]
            result.append(emoji_html(seq.replace("\ufe0f", "")))
        elif ch == "\n":
            result.append("<br/>")
        else:
            result.append(html.escape(ch, quote=False))
        i += 1
    return "".join(result)


def mastodon_html(text, instance):
    paragraphs = []
    for para in text.split("\n\n"):
        parts, pos = [], 0
        for m in HASHTAG.finditer(para):
            parts.append(html.escape(para[pos:m.start()], quote=False).replace("\n", "<br />"))
            tag = m.group(1)
            parts.append(f"<a href=\"https://{instance}/tags/{urllib.parse.quote(tag)}\" class=\"mention hashtag\" "
                         f"rel=\"tag\">#<span>{html.escape(tag)}</span></a>")
            pos = m.end()
        parts.append(html.escape(para[pos:], quote=False).replace("\n", "<br />"))
        paragraphs.append("<p>" + "".join(parts) + "</p>")
    return "".join(paragraphs)


# ---------------------------------------------------------------------------------------------
# Platforms
# ---------------------------------------------------------------------------------------------

BUBBLE_TAIL = """    <i class="tgme_widget_message_bubble_tail">
                <svg class="bubble_icon" width="9px" height="20px" viewBox="0 0 9 20">
                <g fill="none">
                <path class="background" fill="#ffffff" d="M8,1 L9,1 L9,20 L8,20 L8,18 C7.807,15.161 7.124,12.233 5.950,9.218 C5.046,6.893 3.504,4.733 1.325,2.738 L1.325,2.738 C0.917,2.365 0.89,1.732 1.263,1.325 C1.452,1.118 1.72,1 2,1 L8,1 Z"></path>
                <path class="border_1x" fill="#d7e3ec" d="M9,1 L2,1 C1.72,1 1.452,1.118 1.263,1.325 C0.89,1.732 0.917,2.365 1.325,2.738 C3.504,4.733 5.046,6.893 5.95,9.218 C7.124,12.233 7.807,15.161 8,18 L8,20 L9,20 L9,1 Z M2,0 L9,0 L9,20 L7,20 L7,20 L7.002,18.068 C6.816,15.333 6.156,12.504 5.018,9.58 C4.172,7.406 2.72,5.371 0.649,3.475 C-0.165,2.729 -0.221,1.464 0.525,0.649 C0.904,0.236 1.439,0 2,0 Z"></path>
                </g>
                </svg>
              </i>"""


def cdn_file(*seed, ext="jpg"):
    token = base64.urlsafe_b64encode(digest(*seed) + digest("cdn", *seed)).decode().rstrip("=")
    return f"https://cdn4.telesco.pe/file/{token}.{ext}"


def telegram_page(acc):
    channel, title = acc["handle"], acc["title"]
    avatar = cdn_file(channel, "avatar")
    chan_id = -1001000000000 - int.from_bytes(digest(channel)[:3], "big")
    posts = sorted(acc["posts"], key=lambda p: p.key)
    blocks = []
    for p in posts:
        number = p.key
        stamp = utc(p.at)
        view = json.dumps({"c": chan_id, "p": number, "t": int(stamp.timestamp()),
                           "h": digest(channel, str(number)).hex()[:18]}, separators=(",", ":"))
        view = base64.urlsafe_b64encode(view.encode()).decode().rstrip("=")
        href = f"https://t.me/{channel}/{number}"
        parts = [f"<div class=\"tgme_widget_message_wrap js-widget_message_wrap\"><div class=\"tgme_widget_message "
                 f"text_not_supported_wrap js-widget_message\" data-post=\"{channel}/{number}\" data-view=\"{view}\">",
                 f"  <div class=\"tgme_widget_message_user\"><a href=\"https://t.me/{channel}\"><i class=\"tgme_widget_message_user_photo "
                 f"bgcolor{len(channel) % 7}\" data-content=\"{acc['photo']}\"><img src=\"{avatar}\"></i></a></div>",
                 "  <div class=\"tgme_widget_message_bubble\">", BUBBLE_TAIL,
                 f"    <div class=\"tgme_widget_message_author accent_color\"><a class=\"tgme_widget_message_owner_name\" "
                 f"href=\"https://t.me/{channel}\"><span dir=\"auto\">{html.escape(title)}</span></a></div>"]
        if "forwarded" in p.extra:
            name, link = p.extra["forwarded"]
            parts.append(f"    <div class=\"tgme_widget_message_forwarded_from accent_color\">Forwarded from&nbsp;<a "
                         f"class=\"tgme_widget_message_forwarded_from_name\" href=\"{link}\"><span dir=\"auto\">"
                         f"{html.escape(name)}</span></a></div>")
        if p.extra.get("photo"):
            image = cdn_file(channel, str(number), "photo")
            parts.append(f"    <a class=\"tgme_widget_message_photo_wrap {int.from_bytes(digest(channel)[:4], 'big')}_"
                         f"{number + 457240000} blured\" href=\"{href}\" style=\"width:800px;background-image:url('{image}')\">"
                         f"<div class=\"tgme_widget_message_photo\" style=\"padding-top:75%\"></div></a>")
        parts.append(f"    <div class=\"tgme_widget_message_text js-message_text\" dir=\"auto\">{telegram_html(p.text)}</div>")
        views = 300 + int.from_bytes(digest(channel, str(number), "views")[:2], "big") % 9000
        views_text = f"{views / 1000:.1f}K" if views >= 1000 else str(views)
        meta = ""
        if "signer" in p.extra:
            meta += f"<span class=\"tgme_widget_message_from_author\" dir=\"auto\">{html.escape(p.extra['signer'])}</span>,&nbsp;"
        if p.extra.get("edited"):
            meta += "edited &nbsp;"
        meta += (f"<a class=\"tgme_widget_message_date\" href=\"{href}\"><time datetime=\"{stamp.strftime('%Y-%m-%dT%H:%M:%S+00:00')}\" "
                 f"class=\"time\">{stamp.strftime('%H:%M')}</time></a>")
        parts += ["    <div class=\"tgme_widget_message_footer compact js-message_footer\">",
                  "      <div class=\"tgme_widget_message_info short js-message_info\">",
                  f"        <span class=\"tgme_widget_message_views\">{views_text}</span><span class=\"copyonly\"> views</span>"
                  f"<span class=\"tgme_widget_message_meta\">{meta}</span>",
                  "      </div>", "    </div>", "  </div>", "</div></div>"]
        blocks.append("\n".join(parts))
    more = ""
    if acc.get("older"):
        first = posts[0].key
        more = (f"          <div class=\"tgme_widget_message_centered js-messages_more_wrap\"><a href=\"/s/{channel}?before={first}\" "
                f"class=\"tme_messages_more js-messages_more\" data-before=\"{first}\"></a></div>\n")
    photos = sum(1 for p in posts if p.extra.get("photo")) + 40
    return f"""<!DOCTYPE html>
<html>
  <head>
    <meta charset="utf-8">
    <title>{html.escape(title)} – Telegram</title>
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <meta property="og:title" content="{html.escape(title)}">
    <meta property="og:image" content="{avatar}">
    <meta property="og:site_name" content="Telegram">
    <meta property="og:description" content="{html.escape(acc['description'])}">
    <meta name="twitter:card" content="summary">
    <link rel="canonical" href="https://t.me/s/{channel}">
    <link href="//telegram.org/css/font-roboto.css?1" rel="stylesheet" type="text/css">
    <link href="//telegram.org/css/widget-frame.css?67" rel="stylesheet">
    <link href="//telegram.org/css/telegram-web.css?13" rel="stylesheet">
  </head>
  <body class="widget_frame_base tgme_webpreview emoji_image thin_box_shadow tme_mode no_transitions">
    <header class="tgme_header search_collapsed">
      <div class="tgme_container">
        <div class="tgme_header_search">
          <form class="tgme_header_search_form" action="/s/{channel}">
            <input class="tgme_header_search_form_input js-header_search" placeholder="Search" name="q" autocomplete="off" value="">
          </form>
        </div>
        <div class="tgme_header_right_column">
          <section class="tgme_right_column">
            <div class="tgme_channel_info">
              <div class="tgme_channel_info_header">
                <i class="tgme_page_photo_image bgcolor{len(channel) % 7}" data-content="{acc['photo']}"><img src="{avatar}"></i>
                <div class="tgme_channel_info_header_title_wrap"><div class="tgme_channel_info_header_title"><span dir="auto">{html.escape(title)}</span></div><div class="tgme_channel_info_header_labels"></div></div>
                <div class="tgme_channel_info_header_username"><a href="https://t.me/{channel}">@{channel}</a></div>
              </div>
              <div class="tgme_channel_info_counters">
                <div class="tgme_channel_info_counter"><span class="counter_value">{acc['subscribers']}</span> <span class="counter_type">subscribers</span></div>
                <div class="tgme_channel_info_counter"><span class="counter_value">{photos}</span> <span class="counter_type">photos</span></div>
              </div>
              <div class="tgme_channel_info_description">{html.escape(acc['description'])}</div>
            </div>
          </section>
        </div>
      </div>
    </header>
    <main class="tgme_main" data-url="/{channel}">
      <div class="tgme_container">
        <section class="tgme_channel_history js-message_history">
{more}{chr(10).join(blocks)}
        </section>
      </div>
    </main>
    <script src="//telegram.org/js/jquery.min.js"></script>
    <script src="//telegram.org/js/widget-frame.js?62"></script>
    <script src="//telegram.org/js/telegram-web.js?14"></script>
    <script>TWeb.init();</script>
  </body>
</html>
"""


def tid(instant, seed):
    """A Bluesky record key: microseconds since 1970 and a clock id, base32-sortable."""
    micros = int(utc(instant).timestamp() * 1_000_000) + int.from_bytes(digest(seed)[:2], "big") % 1000
    value = (micros << 10) | (int.from_bytes(digest(seed, "clock")[:2], "big") % 1024)
    alphabet = "234567abcdefghijklmnopqrstuvwxyz"
    out = ""
    for _ in range(13):
        out = alphabet[value & 31] + out
        value >>= 5
    return out


def cid(*seed):
    return "bafyrei" + b32(digest("cid", *seed) + digest("cid2", *seed))[:52]


def iso_ms(instant):
    return utc(instant).strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc(instant).microsecond // 1000:03d}Z"


def facets(text):
    result = []
    encoded = text.encode()

    def span(start, end):
        return len(text[:start].encode()), len(text[:end].encode())

    for m in LINK.finditer(text):
        a, b = span(m.start(), m.end())
        result.append({"$type": "app.bsky.richtext.facet", "index": {"byteStart": a, "byteEnd": b},
                       "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://" + m.group(1)}]})
    for m in HASHTAG.finditer(text):
        a, b = span(m.start(), m.end())
        result.append({"$type": "app.bsky.richtext.facet", "index": {"byteStart": a, "byteEnd": b},
                       "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": m.group(1)}]})
    assert all(f["index"]["byteEnd"] <= len(encoded) for f in result)
    return sorted(result, key=lambda f: f["index"]["byteStart"])


def bluesky_feed(acc):
    handle = acc["handle"]
    did = "did:plc:" + b32(digest("did", handle))[:24]
    joined = iso_ms(min(p.at for p in acc["posts"]) - dt.timedelta(days=41, hours=5))
    author = {"did": did, "handle": handle, "displayName": acc["display"],
              "avatar": f"https://cdn.bsky.app/img/avatar/plain/{did}/{cid(handle, 'avatar')}@jpeg",
              "associated": {"chat": {"allowIncoming": "following"}}, "labels": [], "createdAt": joined}
    items = []
    for p in sorted(acc["posts"], key=lambda p: p.at, reverse=True):
        indexed = local(p.extra["indexed"]) if "indexed" in p.extra else p.at + dt.timedelta(
            milliseconds=180 + int.from_bytes(digest(handle, p.key)[:2], "big") % 700)
        rkey = tid(indexed, handle + p.key)
        record = {"$type": "app.bsky.feed.post", "createdAt": iso_ms(p.at),
                  "langs": [p.extra.get("lang", "en")],
                  "text": p.text}
        fs = facets(p.text)
        if fs:
            record["facets"] = fs
        post = {"uri": f"at://{did}/app.bsky.feed.post/{rkey}", "cid": cid(handle, p.key), "author": author,
                "record": record}
        if "card" in p.extra:
            uri, title, description = p.extra["card"]
            thumb = "bafkrei" + b32(digest("thumb", handle, p.key))[:52]
            record["embed"] = {"$type": "app.bsky.embed.external", "external": {
                "uri": uri, "title": title, "description": description,
                "thumb": {"$type": "blob", "ref": {"$link": thumb}, "mimeType": "image/jpeg", "size": 183402}}}
            post["embed"] = {"$type": "app.bsky.embed.external#view", "external": {
                "uri": uri, "title": title, "description": description,
                "thumb": f"https://cdn.bsky.app/img/feed_thumbnail/plain/{did}/{thumb}@jpeg"}}
        if "alt" in p.extra:
            image = "bafkrei" + b32(digest("image", handle, p.key))[:52]
            record["embed"] = {"$type": "app.bsky.embed.images", "images": [{
                "alt": p.extra["alt"], "aspectRatio": {"height": 1000, "width": 1500},
                "image": {"$type": "blob", "ref": {"$link": image}, "mimeType": "image/jpeg", "size": 402117}}]}
            post["embed"] = {"$type": "app.bsky.embed.images#view", "images": [{
                "thumb": f"https://cdn.bsky.app/img/feed_thumbnail/plain/{did}/{image}@jpeg",
                "fullsize": f"https://cdn.bsky.app/img/feed_fullsize/plain/{did}/{image}@jpeg",
                "alt": p.extra["alt"], "aspectRatio": {"height": 1000, "width": 1500}}]}
        counts = digest(handle, p.key, "counts")
        post.update({"bookmarkCount": 0, "replyCount": counts[0] % 9, "repostCount": counts[1] % 30,
                     "likeCount": 10 + counts[2] % 200, "quoteCount": counts[3] % 3, "indexedAt": iso_ms(indexed),
                     "viewer": {"bookmarked": False, "threadMuted": False, "embeddingDisabled": False}, "labels": []})
        p.extra["id"] = post["uri"]
        p.extra["url"] = f"https://bsky.app/profile/{handle}/post/{rkey}"
        items.append(json.dumps({"post": post}, ensure_ascii=False))
    oldest = sorted(acc["posts"], key=lambda p: p.at)[0].at
    return "{\"feed\": [\n" + ",\n".join(items) + f"\n], \"cursor\": \"{iso_ms(oldest)}\"}}\n"


def snowflake(instant, seed):
    millis = int(utc(instant).timestamp() * 1000)
    return str((millis << 16) | int.from_bytes(digest(seed)[:2], "big"))


def mastodon_account(acc):
    instance, user = acc["instance"], acc["user"]
    created = local(acc["created"])
    ident = snowflake(created, instance + user)
    path = "/".join(ident[i:i + 3] for i in range(0, 18, 3))
    avatar = f"https://files.{instance}/accounts/avatars/{path}/original/{digest(user).hex()[:16]}.jpg"
    last = max(p.at for p in acc["posts"])
    return {"id": ident, "username": user, "acct": user, "display_name": acc["display"], "locked": False, "bot": False,
            "discoverable": True, "indexable": True, "group": False,
            "created_at": utc(created).strftime("%Y-%m-%dT00:00:00.000Z"),
            "note": f"<p>{html.escape(acc['display'])}</p>", "url": f"https://{instance}/@{user}",
            "uri": f"https://{instance}/users/{user}", "avatar": avatar, "avatar_static": avatar,
            "header": f"https://{instance}/headers/original/missing.png",
            "header_static": f"https://{instance}/headers/original/missing.png",
            "followers_count": 900 + int.from_bytes(digest(user)[:2], "big") % 3000, "following_count": 120,
            "statuses_count": 180 + len(acc["posts"]), "last_status_at": utc(last).strftime("%Y-%m-%d"),
            "hide_collections": False, "noindex": False, "emojis": [], "roles": [], "fields": []}


def mastodon_statuses(acc, account_json):
    instance, user = acc["instance"], acc["user"]
    statuses = []
    for p in sorted(acc["posts"], key=lambda p: p.at, reverse=True):
        ident = snowflake(p.at, instance + user + str(p.key))
        url = f"https://{instance}/@{user}/{ident}"
        p.extra["id"] = p.extra["url"] = url
        media = []
        for n, (kind, description) in enumerate(p.extra.get("media", [])):
            mid = snowflake(p.at - dt.timedelta(seconds=40), f"{ident}/{n}")
            mpath = "/".join(mid[i:i + 3] for i in range(0, 18, 3))
            media.append({"id": mid, "type": kind,
                          "url": f"https://files.{instance}/media_attachments/files/{mpath}/original/{digest(mid).hex()[:16]}.jpg",
                          "preview_url": f"https://files.{instance}/media_attachments/files/{mpath}/small/{digest(mid).hex()[:16]}.jpg",
                          "remote_url": None, "preview_remote_url": None, "text_url": None,
                          "meta": {"original": {"width": 1600, "height": 1066, "size": "1600x1066", "aspect": 1.5009380863039399},
                                   "small": {"width": 588, "height": 392, "size": "588x392", "aspect": 1.5}},
                          "description": description, "blurhash": "UKHBr9of00WB~qt7M{ay4nj[%Mofxuj[RjWB"})
        tags = [{"name": m.group(1).lower(), "url": f"https://{instance}/tags/{m.group(1).lower()}"}
                for m in HASHTAG.finditer(p.text)]
        counts = digest(instance, str(p.key), "counts")
        status = {"id": ident, "created_at": iso_ms(p.at), "in_reply_to_id": None, "in_reply_to_account_id": None,
                  "sensitive": bool(p.extra.get("spoiler")), "spoiler_text": p.extra.get("spoiler", ""),
                  "visibility": "public", "language": p.extra.get("lang", acc["lang"]),
                  "uri": f"https://{instance}/users/{user}/statuses/{ident}", "url": url,
                  "replies_count": counts[0] % 6, "reblogs_count": counts[1] % 25, "favourites_count": 5 + counts[2] % 80,
                  "edited_at": iso_ms(local(p.extra["edited"])) if "edited" in p.extra else None,
                  "content": mastodon_html(p.text, instance), "reblog": None,
                  "application": {"name": "Web", "website": None}, "account": account_json,
                  "media_attachments": media, "mentions": [], "tags": tags, "emojis": [], "card": None, "poll": None}
        statuses.append(status)
    return json.dumps(statuses, ensure_ascii=False, indent=2) + "\n"


def youtube_feed(acc):
    channel = acc["handle"]
    entries = []
    for p in sorted(acc["posts"], key=lambda p: p.at, reverse=True):
        video = base64.urlsafe_b64encode(digest(channel, p.key)[:8]).decode()[:11]  # 64 bits, as YouTube's ids
        p.extra["id"] = f"yt:video:{video}"
        p.extra["url"] = f"https://www.youtube.com/watch?v={video}"
        updated = p.at + dt.timedelta(days=3, hours=int(digest(video)[0] % 20), minutes=17)
        stats = digest(video, "stats")
        title = html.escape(p.extra["video_title"])
        entries.append(f""" <entry>
  <id>yt:video:{video}</id>
  <yt:videoId>{video}</yt:videoId>
  <yt:channelId>{channel}</yt:channelId>
  <title>{title}</title>
  <link rel="alternate" href="https://www.youtube.com/watch?v={video}"/>
  <author>
   <name>{html.escape(acc['title'])}</name>
   <uri>https://www.youtube.com/channel/{channel}</uri>
  </author>
  <published>{utc(p.at).strftime('%Y-%m-%dT%H:%M:%S+00:00')}</published>
  <updated>{utc(updated).strftime('%Y-%m-%dT%H:%M:%S+00:00')}</updated>
  <media:group>
   <media:title>{title}</media:title>
   <media:content url="https://www.youtube.com/v/{video}?version=3" type="application/x-shockwave-flash" width="640" height="390"/>
   <media:thumbnail url="https://i{1 + stats[0] % 4}.ytimg.com/vi/{video}/hqdefault.jpg" width="480" height="360"/>
   <media:description>{html.escape(p.text, quote=False)}</media:description>
   <media:community>
    <media:starRating count="{20 + stats[1]}" average="5.00" min="1" max="5"/>
    <media:statistics views="{900 + int.from_bytes(stats[2:4], 'big')}"/>
   </media:community>
  </media:group>
 </entry>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">
 <link rel="self" href="http://www.youtube.com/feeds/videos.xml?channel_id={channel}"/>
 <id>yt:channel:{channel}</id>
 <yt:channelId>{channel}</yt:channelId>
 <title>{html.escape(acc['title'])}</title>
 <link rel="alternate" href="https://www.youtube.com/channel/{channel}"/>
 <author>
  <name>{html.escape(acc['title'])}</name>
  <uri>https://www.youtube.com/channel/{channel}</uri>
 </author>
 <published>2022-11-02T09:30:11+00:00</published>
{chr(10).join(entries)}
</feed>
"""


def rfc822(instant):
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return f"{days[instant.weekday()]}, {instant.day:02d} {months[instant.month - 1]} {instant.year} {instant.strftime('%H:%M:%S')} +0600"


def rss_cp1251(acc):
    """RSS 2.0 as an old CMS writes it: windows-1251, declared in the XML declaration."""
    base = "https://green-steppe.example.org"
    items = []
    for p in sorted(acc["posts"], key=lambda p: p.at, reverse=True):
        link = f"{base}/news/{p.extra['slug']}.html"
        p.extra["id"] = p.extra["url"] = link
        items.append(f"""  <item>
   <title>{html.escape(p.extra['item_title'], quote=False)}</title>
   <link>{link}</link>
   <guid isPermaLink="true">{link}</guid>
   <description>{html.escape(p.text, quote=False)}</description>
   <category>Новости партии</category>
   <pubDate>{rfc822(p.at)}</pubDate>
  </item>""")
    latest = max(p.at for p in acc["posts"])
    text = f"""<?xml version="1.0" encoding="windows-1251"?>
<rss version="2.0">
 <channel>
  <title>Партия «Жасыл дала» — Новости</title>
  <link>{base}/news/</link>
  <description>Новости партии «Жасыл дала»</description>
  <language>ru</language>
  <lastBuildDate>{rfc822(latest)}</lastBuildDate>
  <generator>NetCat 5.0</generator>
{chr(10).join(items)}
 </channel>
</rss>
"""
    return text.encode("cp1251")


def atom_feed(acc):
    base = "https://ala-too-union.example.org"
    entries = []
    for p in sorted(acc["posts"], key=lambda p: p.at, reverse=True):
        link = f"{base}/{p.extra['slug']}/"
        ident = f"tag:ala-too-union.example.org,{p.at.strftime('%Y-%m-%d')}:/{p.extra['slug']}"
        p.extra["id"] = ident
        p.extra["url"] = link
        stamp = p.at.isoformat()
        entries.append(f"""  <entry>
    <title>{html.escape(p.extra['item_title'], quote=False)}</title>
    <link href="{link}" rel="alternate" type="text/html"/>
    <published>{stamp}</published>
    <updated>{stamp}</updated>
    <id>{ident}</id>
    <author><name>Басма сөз кызматы</name></author>
    <content type="html" xml:base="{link}">{html.escape('<p>' + p.text + '</p>', quote=False)}</content>
  </entry>""")
    latest = max(p.at for p in acc["posts"]).isoformat()
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ky">
  <generator uri="https://jekyllrb.com/" version="4.3.4">Jekyll</generator>
  <link href="{base}/feed.xml" rel="self" type="application/atom+xml"/>
  <link href="{base}/" rel="alternate" type="text/html" hreflang="ky"/>
  <updated>{latest}</updated>
  <id>{base}/feed.xml</id>
  <title type="html">Ала-Тоо Бирлиги</title>
  <subtitle>«Ала-Тоо Бирлиги» партиясынын жаңылыктары</subtitle>
{chr(10).join(entries)}
</feed>
"""


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

def write(relative, data):
    path = os.path.join(SITES, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return relative


def main():
    if os.path.isdir(SITES):
        shutil.rmtree(SITES)
    files = {}
    for acc in ACCOUNTS:
        platform, handle = acc["platform"], acc["handle"]
        if platform == "telegram":
            host = acc.get("mirror", "t.me")
            files[(acc["subject"], platform, handle)] = [write(f"{host}/s/{handle}.html", telegram_page(acc))]
            for p in acc["posts"]:
                p.extra["id"] = f"{handle}/{p.key}"
                p.extra["url"] = f"https://t.me/{handle}/{p.key}"
        elif platform == "bluesky":
            files[(acc["subject"], platform, handle)] = [
                write(f"public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed/{handle}.json", bluesky_feed(acc))]
        elif platform == "mastodon":
            account_json = mastodon_account(acc)
            instance = acc["instance"]
            files[(acc["subject"], platform, handle)] = [
                write(f"{instance}/api/v1/accounts/lookup/{acc['user']}.json",
                      json.dumps(account_json, ensure_ascii=False) + "\n"),
                write(f"{instance}/api/v1/accounts/{account_json['id']}/statuses.json", mastodon_statuses(acc, account_json))]
        elif platform == "youtube":
            files[(acc["subject"], platform, handle)] = [
                write(f"www.youtube.com/feeds/videos.xml/{handle}.xml", youtube_feed(acc))]
        elif handle.startswith("https://green-steppe"):
            files[(acc["subject"], platform, handle)] = [write("green-steppe.example.org/news/feed.xml", rss_cp1251(acc))]
        else:
            files[(acc["subject"], platform, handle)] = [write("ala-too-union.example.org/feed.xml", atom_feed(acc))]

    # Each post's declared outcome must agree with the calendars: an alert only in a
    # prohibited period of the election it names, none elsewhere unless the text is neutral.
    rows, alerts = [], 0
    for acc in ACCOUNTS:
        for p in sorted(acc["posts"], key=lambda p: p.at):
            judged = p.judged_at()
            periods = {e: period_of(e, judged) for e in acc["elections"]}
            if p.alert:
                election, kind, _ = p.alert
                assert periods[election] == kind, (acc["handle"], p.key, periods)
                assert kind != "campaign"
                alerts += 1
            rows.append((acc, p, periods))

    table = ["| # | account | post | local time (+06) | period | expected | why |", "|---|---|---|---|---|---|---|"]
    for n, (acc, p, periods) in enumerate(rows, 1):
        where = "; ".join(f"{e}: {k or 'none'}" for e, k in periods.items()) if len(periods) > 1 else \
            (next(iter(periods.values())) or "none")
        when = p.at.strftime("%Y-%m-%d %H:%M")
        if "judged" in p.extra:
            when += f" (judged at {p.judged_at().strftime('%m-%d %H:%M')})"
        if p.alert:
            election, kind, rules = p.alert
            outcome = f"**alert** {kind}, {', '.join(rules)}" + (f" ({election})" if len(acc["elections"]) > 1 else "")
        else:
            outcome = "no alert"
        excerpt = " ".join(p.text.split()).replace("|", "\\|")
        if len(excerpt) > 90:
            excerpt = excerpt[:88].rstrip() + "…"
        table.append(f"| {n} | {acc['subject']} {acc['platform']} `{short(acc)}` | `{p.extra['id']}`<br>{excerpt} | "
                     f"{when} | {where} | {outcome} | {p.why} |")
    with open(README, encoding="utf-8") as f:
        readme = f.read()
    start, end = "<!-- cases:begin -->", "<!-- cases:end -->"
    head, rest = readme.split(start)
    _, tail = rest.split(end)
    summary = f"{len(rows)} posts on {len(ACCOUNTS)} accounts; {alerts} must alert, {len(rows) - alerts} must not."
    readme = head + start + "\n" + summary + "\n\n" + "\n".join(table) + "\n" + end + tail
    with open(README, "w", encoding="utf-8") as f:
        f.write(readme)
    print(summary)
    for key, written in files.items():
        print(f"{key[0]:14} {key[1]:9} {' + '.join(written)}")


def short(acc):
    handle = acc["handle"]
    return handle.split("//")[1] if handle.startswith("https://") else handle


if __name__ == "__main__":
    main()
