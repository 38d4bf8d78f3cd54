/*
 * The 14 propaganda techniques of the PTC corpus (SemEval-2020 Task 11):
 * corpus label, display name, terminal tag and a one-paragraph definition.
 * The order is that of the corpus's techniques.txt; technique indices used
 * everywhere else (labels, models, metrics) are positions in this table.
 * Does not parse label files (labels.c) nor decide anything about text.
 *
 * The definitions are our own short paraphrases of the annotation guidelines
 * (Da San Martino et al., EMNLP 2019), written for a reader of `slant` output.
 */
#include <string.h>
#include "slant.h"

static const slant_technique techniques[SLANT_N_TECHNIQUES] = {
    {"Appeal_to_Authority", "Appeal to authority", "AUTH",
     "Claims that something is true only because an expert, institution or "
     "famous person said so, without further evidence. Quoting a source is "
     "not in itself this technique; leaning on the source instead of on "
     "reasons is."},
    {"Appeal_to_fear-prejudice", "Appeal to fear / prejudice", "FEAR",
     "Seeks support for an idea by making the audience afraid of what will "
     "happen otherwise, or by stirring up existing hostility towards a group, "
     "so that the reader reacts to the threat rather than to the argument."},
    {"Bandwagon,Reductio_ad_hitlerum", "Bandwagon / reductio ad Hitlerum", "BAND",
     "Two appeals to the crowd merged into one class: urging the reader to "
     "join in because everyone (or every right-thinking person) already does, "
     "or rejecting an idea because a despised person or group holds it."},
    {"Black-and-White_Fallacy", "Black-and-white fallacy", "BLCK",
     "Presents two alternatives as the only ones possible when more exist, "
     "typically so that one of them looks unacceptable and the other "
     "inevitable; dictatorship, which leaves only one option, belongs here too."},
    {"Causal_Oversimplification", "Causal oversimplification", "CAUS",
     "Attributes an outcome with many causes to a single cause, or blames "
     "one party for a complex problem, so that the explanation fits a "
     "simple story."},
    {"Doubt", "Doubt", "DOUBT",
     "Undermines the credibility of a person, group or institution by "
     "questioning their honesty, competence or motives, often through "
     "insinuation rather than evidence."},
    {"Exaggeration,Minimisation", "Exaggeration / minimisation", "EXAG",
     "Represents something as much larger, better or worse than it is, or "
     "plays down something serious so that it seems unimportant."},
    {"Flag-Waving", "Flag-waving", "FLAG",
     "Justifies an idea by appealing to patriotism or to the identity and "
     "pride of a group (a nation, a party, a religion) instead of to its "
     "merits."},
    {"Loaded_Language", "Loaded language", "LOAD",
     "Uses words and phrases with strong emotional charge, positive or "
     "negative, to sway the reader; by far the most frequent technique in "
     "the corpus."},
    {"Name_Calling,Labeling", "Name calling / labeling", "NAME",
     "Attaches a label to a person or group, something the audience fears, "
     "hates or admires, so that the label does the work of an argument."},
    {"Repetition", "Repetition", "REPT",
     "Restates the same message again and again so that the audience comes "
     "to accept it through familiarity; every repeated mention is tagged."},
    {"Slogans", "Slogans", "SLOG",
     "A brief, striking phrase, often a rallying cry or a label turned into "
     "a motto, that stands in for a position and may carry stereotypes."},
    {"Thought-terminating_Cliches", "Thought-terminating cliche", "CLICH",
     "A short, familiar phrase that ends discussion and discourages critical "
     "thought by making further questions seem pointless (\"it is what it "
     "is\")."},
    {"Whataboutism,Straw_Men,Red_Herring", "Whataboutism / straw man / red herring", "WHAT",
     "Deflects from the issue at hand: answering criticism by accusing the "
     "critic of hypocrisy, refuting a distorted version of the opposing view, "
     "or bringing in irrelevant material to divert attention."},
};

const slant_technique *slant_technique_get(int i) {
    if (i < 0 || i >= SLANT_N_TECHNIQUES) return NULL;
    return &techniques[i];
}

int slant_technique_find(const char *name, size_t len) {
    if (!name) return -1;
    for (int i = 0; i < SLANT_N_TECHNIQUES; i++) {
        const char *t = techniques[i].name;
        if (strlen(t) == len && memcmp(t, name, len) == 0) return i;
    }
    return -1;
}
