# Experiment: quantile bins of lex.tsv (news_lexicon.py) for slant train --lexicon.
# usage: python3 news_lexicon_bins.py 10  (writes bins10.tsv: hash, opinion bin | partisan bin << 4)
import sys, bisect
rows=[l.rstrip("\n").split("\t") for l in open("lex.tsv")]
def edges(col, nb):
    v=sorted(float(r[col]) for r in rows if r[col]!="nan")
    return [v[int(len(v)*k/nb)] for k in range(1,nb)]
nb=int(sys.argv[1]) if len(sys.argv)>1 else 10
e1=edges(1,nb); e2=edges(2,nb)
out=open("bins%d.tsv"%nb,"w")
for r in rows:
    b1 = 0 if r[1]=="nan" else 1+bisect.bisect(e1,float(r[1]))
    b2 = 0 if r[2]=="nan" else 1+bisect.bisect(e2,float(r[2]))
    out.write("%s\t%d\n"%(r[0], b1 | b2<<4))
print(e1,e2)
