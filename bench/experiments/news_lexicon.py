# Experiment (did not help, reverted): per-word opinion-vs-reporting and partisan-vs-centre
# log-ratios from ../shared/data/news, for the words of build/clusters.tsv.
# usage: python3 news_lexicon.py ../shared/data/news build/clusters.tsv lex.tsv
# Columns: hash, opinion log-ratio, partisan log-ratio, word (nan: under 20 occurrences).
import sys, json, gzip, re, math, collections, glob
OPINION = {"Townhall","National Review","Salon","Reason","Breitbart News","Guest Writer - Right","Guest Writer - Left","Guest Writer",
 "American Spectator","Daily Beast","Slate","Vanity Fair","Daily Kos","Mother Jones","Media Matters","CNN - Editorial",
 "New York Times - Opinion","Fox News Opinion","The Week - Opinion","Newsmax - Opinion","HotAir","Victor Hanson","John Stossel",
 "Rich Lowry","Ben Shapiro","George Will","John Fund","Newt Gingrich","Michelle Malkin","Damon Linker","The Daily Wire","TheBlaze.com",
 "The Daily Caller","NewsBusters","Media Research Center","Jacobin","The Nation","ThinkProgress","Democracy Now","InfoWars","Newsmax",
 "The Federalist","Quillette","New Republic","The Intercept","Independent Journal Review","The Epoch Times","Washington Free Beacon"}
NEWS = {"Reuters","Associated Press","NPR Online News","USA TODAY","The Hill","Christian Science Monitor","BBC News","Wall Street Journal - News",
 "Bloomberg","CNBC","Politico","New York Times - News","CNN (Web News)","ABC News","CBS News","Axios","Fox Online News","Washington Times",
 "NBC News (Online)","PBS NewsHour","Roll Call","The Week - News","Newsmax - News","Business Insider","Yahoo! News","ABC News (Online)","NBCNews.com"}
wre = re.compile(r"[^\W\d_]+(?:['\-.][^\W\d_]+)*")
cnt = {g: collections.Counter() for g in ("op","nw","left","right","center")}
for f in sorted(glob.glob(sys.argv[1] + "/news-*.jsonl.gz")):
    for line in gzip.open(f, "rt", encoding="utf-8"):
        o = json.loads(line)
        txt = ((o.get("title") or "") + "\n" + o["text"]).replace("\u2019", "'").lower()
        toks = wre.findall(txt)
        src = o.get("source"); b = o.get("bias")
        groups = [b] if b in ("left","right","center") else []
        if src in OPINION: groups.append("op")
        elif src in NEWS: groups.append("nw")
        c = collections.Counter(toks)
        for g in groups: cnt[g].update(c)
    print(f, file=sys.stderr)
tot = {g: sum(c.values()) for g, c in cnt.items()}
print("totals", tot, file=sys.stderr)
out = open(sys.argv[3], "w")
for line in open(sys.argv[2], encoding="utf-8"):
    if line.startswith("#"): continue
    h, bits, depth, word, count = line.rstrip("\n").split("\t")
    def lr(a, b, pa=5.0):
        ca, cb = cnt[a][word], cnt[b][word]
        if ca + cb < 20: return None
        return math.log((ca + pa) / tot[a]) - math.log((cb + pa) / tot[b])
    op = lr("op", "nw")
    pl = cnt["left"][word] + cnt["right"][word]; pc = cnt["center"][word]
    part = None
    if pl + pc >= 20:
        part = math.log((pl + 5.0) / (tot["left"] + tot["right"])) - math.log((pc + 5.0) / tot["center"])
    out.write("%s\t%s\t%s\t%s\n" % (h, "nan" if op is None else "%.4f" % op, "nan" if part is None else "%.4f" % part, word))
