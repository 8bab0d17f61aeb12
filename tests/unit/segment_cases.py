"""Hard sentence-segmentation cases shared by the unit tests and benchmarks/segmenters.py.

Every sentence here was written for this project.  Each case is (id, text, expected sentences);
a segmenter gets a case right only when it returns exactly the expected list.
"""

from __future__ import annotations

CASES: list[tuple[str, str, list[str]]] = [
    (
        "us_midsentence",
        "The U.S. military said it was monitoring the flights. Officials gave no details.",
        ["The U.S. military said it was monitoring the flights.", "Officials gave no details."],
    ),
    (
        "uk_at_sentence_end",
        "Prices rose sharply in the U.K. The central bank held rates.",
        ["Prices rose sharply in the U.K.", "The central bank held rates."],
    ),
    (
        "us_before_proper_noun",
        "The U.S. Senate voted late on Monday. The bill now goes to the House.",
        ["The U.S. Senate voted late on Monday.", "The bill now goes to the House."],
    ),
    (
        "dr_mr_mrs",
        "Dr. Lena Ortiz met Mr. Hale and Mrs. Patel on Friday. They talked for an hour.",
        ["Dr. Lena Ortiz met Mr. Hale and Mrs. Patel on Friday.", "They talked for an hour."],
    ),
    (
        "military_titles",
        "Gen. Ray Novak and Lt. Col. Ana Berg spoke first. Col. Berg took questions.",
        ["Gen. Ray Novak and Lt. Col. Ana Berg spoke first.", "Col. Berg took questions."],
    ),
    (
        "political_titles",
        "Sen. Tom Reyes, Rep. Dana Wills and Gov. Luis Marin disagreed. None would yield.",
        ["Sen. Tom Reyes, Rep. Dana Wills and Gov. Luis Marin disagreed.", "None would yield."],
    ),
    (
        "saint_and_mount",
        "The parade moved down St. James Street toward Mt. Hope. Crowds lined the route.",
        ["The parade moved down St. James Street toward Mt. Hope.", "Crowds lined the route."],
    ),
    (
        "months_before_numbers",
        "The vote is set for Jan. 14, after talks on Dec. 3 and Feb. 9. A runoff may follow.",
        ["The vote is set for Jan. 14, after talks on Dec. 3 and Feb. 9.", "A runoff may follow."],
    ),
    (
        "more_months",
        "Talks stalled between Aug. 3 and Sept. 9. They resumed on Oct. 1 and ended Nov. 20.",
        ["Talks stalled between Aug. 3 and Sept. 9.", "They resumed on Oct. 1 and ended Nov. 20."],
    ),
    (
        "am_pm",
        "The blast happened at 4 a.m. local time. Crews arrived by 6 p.m. The cause is unknown.",
        [
            "The blast happened at 4 a.m. local time.",
            "Crews arrived by 6 p.m.",
            "The cause is unknown.",
        ],
    ),
    (
        "eg_ie",
        "Some groups, e.g. local unions, objected. Others, i.e. the larger ones, stayed silent.",
        [
            "Some groups, e.g. local unions, objected.",
            "Others, i.e. the larger ones, stayed silent.",
        ],
    ),
    (
        "etc_at_end",
        "They brought food, water, blankets, etc. The aid arrived on Monday.",
        ["They brought food, water, blankets, etc.", "The aid arrived on Monday."],
    ),
    (
        "versus",
        "The final is Spain vs. Brazil on Sunday. Tickets sold out in minutes.",
        ["The final is Spain vs. Brazil on Sunday.", "Tickets sold out in minutes."],
    ),
    (
        "number_sign",
        "The bill, No. 5 on the agenda, passed easily. It now goes to the president.",
        ["The bill, No. 5 on the agenda, passed easily.", "It now goes to the president."],
    ),
    (
        "no_as_a_word",
        "Asked whether he would resign, he said no. Then he left the podium.",
        ["Asked whether he would resign, he said no.", "Then he left the podium."],
    ),
    (
        "company_suffixes",
        "Northwind Inc. and Contoso Corp. signed the deal. Fabrikam Ltd. declined to join.",
        ["Northwind Inc. and Contoso Corp. signed the deal.", "Fabrikam Ltd. declined to join."],
    ),
    (
        "company_suffix_at_end",
        "The contract went to Northwind Inc. The losing bidder plans to appeal.",
        ["The contract went to Northwind Inc.", "The losing bidder plans to appeal."],
    ),
    (
        "junior",
        "Martin Cole Jr. said he would run again. He did not give a date.",
        ["Martin Cole Jr. said he would run again.", "He did not give a date."],
    ),
    (
        "initials",
        "The novel by J. K. Rowling sold well. George W. Bush was not mentioned.",
        ["The novel by J. K. Rowling sold well.", "George W. Bush was not mentioned."],
    ),
    (
        "decimals",
        "Growth slowed to 3.5 percent. Exports fell by 1.2 points in the third quarter.",
        ["Growth slowed to 3.5 percent.", "Exports fell by 1.2 points in the third quarter."],
    ),
    (
        "money_and_thousands",
        "The firm lost $4.2 million last year. Output reached 1,000.5 tonnes.",
        ["The firm lost $4.2 million last year.", "Output reached 1,000.5 tonnes."],
    ),
    (
        "year_then_digit",
        "The count rose in 2019. 2020 was worse for everyone.",
        ["The count rose in 2019.", "2020 was worse for everyone."],
    ),
    (
        "straight_quote_after_period",
        'He said "no." Then he left the room.',
        ['He said "no."', "Then he left the room."],
    ),
    (
        "curly_quote_after_period",
        "She called the plan “a disaster.” Her aides agreed with her.",
        ["She called the plan “a disaster.”", "Her aides agreed with her."],
    ),
    (
        "single_curly_quote",
        "The sign on the door read ‘closed.’ Nobody came that day.",
        ["The sign on the door read ‘closed.’", "Nobody came that day."],
    ),
    (
        "parenthesised_sentence",
        "The launch failed. (Officials blamed the weather.) A new date was set.",
        ["The launch failed.", "(Officials blamed the weather.)", "A new date was set."],
    ),
    (
        "question_in_quote_continues",
        '"Where is the money?" she asked. Nobody answered her.',
        ['"Where is the money?" she asked.', "Nobody answered her."],
    ),
    (
        "exclamation_in_quote_continues",
        "“We will win!” he shouted at the rally. The crowd cheered.",
        ["“We will win!” he shouted at the rally.", "The crowd cheered."],
    ),
    (
        "ellipsis_then_lowercase",
        "Wait... what did the minister say? Nobody knew.",
        ["Wait... what did the minister say?", "Nobody knew."],
    ),
    (
        "ellipsis_then_capital",
        "He paused for a moment... Then he continued reading.",
        ["He paused for a moment...", "Then he continued reading."],
    ),
    (
        "unicode_ellipsis_lowercase",
        "It was… strange, she said. Then she left.",
        ["It was… strange, she said.", "Then she left."],
    ),
    (
        "unicode_ellipsis_capital",
        "He hesitated… The room fell silent.",
        ["He hesitated…", "The room fell silent."],
    ),
    (
        "interrobang_runs",
        "You did what?! I cannot believe it!! Really?",
        ["You did what?!", "I cannot believe it!!", "Really?"],
    ),
    (
        "url_inside",
        "Details are at example.com/report.html today. The site was slow.",
        ["Details are at example.com/report.html today.", "The site was slow."],
    ),
    (
        "url_at_end",
        "Read the full text at example.com. It is long.",
        ["Read the full text at example.com.", "It is long."],
    ),
    (
        "email_and_version",
        "Write to press.office@example.org about v1.2.3 of report.pdf. Replies take a day.",
        ["Write to press.office@example.org about v1.2.3 of report.pdf.", "Replies take a day."],
    ),
    (
        "emoji",
        "The team won the final 🎉. Fans celebrated all night 😀 and went home.",
        ["The team won the final 🎉.", "Fans celebrated all night 😀 and went home."],
    ),
    (
        "cjk_full_stops",
        "政府表示将进行调查。官员拒绝置评！这是真的吗？",
        ["政府表示将进行调查。", "官员拒绝置评！", "这是真的吗？"],
    ),
    (
        "cjk_inside_latin",
        "The sign said 出口。Then it went dark.",
        ["The sign said 出口。", "Then it went dark."],
    ),
    (
        "crlf_lines",
        "The first line ends here.\r\nThe second starts here.\r\n\r\nA new paragraph",
        ["The first line ends here.", "The second starts here.", "A new paragraph"],
    ),
    (
        "tab_separated",
        "The first task is done.\tThe second is pending.",
        ["The first task is done.", "The second is pending."],
    ),
    (
        "hebrew_rtl",
        "הממשלה הודיעה על חקירה. השר סירב להגיב.",
        ["הממשלה הודיעה על חקירה.", "השר סירב להגיב."],
    ),
    (
        "arabic_question_mark",
        "هل هذا صحيح؟ لا أحد يعرف.",
        ["هل هذا صحيح؟", "لا أحد يعرف."],
    ),
    (
        "headline_byline_paragraphs",
        "Ministry denies report on grain deal\n\nBy Staff 3 Min Read\n\nOfficials said it holds.",
        [
            "Ministry denies report on grain deal",
            "By Staff 3 Min Read",
            "Officials said it holds.",
        ],
    ),
    (
        "soft_wrapped_line",
        "The minister said the\nplan would go ahead. Critics disagreed.",
        ["The minister said the\nplan would go ahead.", "Critics disagreed."],
    ),
    (
        "line_ending_a_sentence",
        "The vote passed.\nlater that day, protests began.",
        ["The vote passed.", "later that day, protests began."],
    ),
    (
        "bullet_list",
        "Key points:\n- Prices rose\n- Wages fell\nThe outlook is unclear.",
        ["Key points:", "- Prices rose", "- Wages fell", "The outlook is unclear."],
    ),
    (
        "numbered_list",
        "Steps:\n1. Collect the data.\n2. Check it twice.\n3. Publish",
        ["Steps:", "1. Collect the data.", "2. Check it twice.", "3. Publish"],
    ),
    (
        "abbreviation_at_line_end",
        "A statement from Dr.\nAmira Haddad followed the vote.",
        ["A statement from Dr.\nAmira Haddad followed the vote."],
    ),
    (
        "doctorate",
        "She is a Ph.D. student at the university. Her thesis is on trade.",
        ["She is a Ph.D. student at the university.", "Her thesis is on trade."],
    ),
    (
        "hyphenated_acronym",
        "The U.S.-based firm said it would appeal. No date was set.",
        ["The U.S.-based firm said it would appeal.", "No date was set."],
    ),
    (
        "senior_at_end",
        "The plan was backed by Ben Alder Sr. The vote is next week.",
        ["The plan was backed by Ben Alder Sr.", "The vote is next week."],
    ),
    (
        "extra_spaces_and_edges",
        "  \n  It rained.   The match was delayed.  \n\n",
        ["It rained.", "The match was delayed."],
    ),
    (
        "initials_with_pronoun_letter",
        "The prize went to S. I. Hayakawa in the end. The vote was close.",
        ["The prize went to S. I. Hayakawa in the end.", "The vote was close."],
    ),
    (
        "dateline",
        "PORTLAND, Ore. (AP) — The river rose overnight. Roads were closed.",
        ["PORTLAND, Ore. (AP) — The river rose overnight.", "Roads were closed."],
    ),
    (
        "empty",
        "",
        [],
    ),
]
