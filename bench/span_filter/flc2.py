#!/usr/bin/env python3
"""FLC: boosted trees over the candidate numbers + technique probability, label =
the fragment overlaps a gold span of its technique; nested CV on OOF train,
threshold by OOF FLC F1, then dev. usage: flc2.py TAG [ROUNDS]"""
import subprocess, sys, collections
from sf import *
SLANT = os.environ.get('SLANT_BIN', '../slant')
import sf
TAG=sys.argv[1]; rounds=int(sys.argv[2]) if len(sys.argv)>2 else 100
goldtc=load_gold(D+'/train/TC.labels',tc=True); golddev=load_gold(D+'/dev/TC.labels',tc=True)
def frag_rows(rows, gold, split):
    context_info(rows, split)
    out=[]
    for r in rows:
        derive(r)
        for j,t in enumerate((r['tech0'],r['tech1'])):
            if t<0: continue
            q=dict(r); q['t']=t; q['ptech']=r['p%d'%t]; q['conf']=q['ptech']*r['mean_p']; q['second']=j
            q['y']=int(any(g[0]==TECH[t] and min(g[2],r['end'])-max(g[1],r['start'])>0 for g in gold.get(r['id'],[])))
            out.append(q)
    return out
tr=[]
for k in range(5):
    rs=read_tsv(f'fold{k}/{TAG}.tsv')
    for r in rs: r['fold']=k
    tr+=rs
dev=read_tsv(f'dev_{TAG}.tsv')
tr=frag_rows(tr,goldtc,'train'); dev=frag_rows(dev,golddev,'dev')
FE=NUMERIC+['ptech','conf','second']
def write(rows, sc, fn, tau):
    with open(fn,'w') as f:
        for r,s in zip(rows,sc):
            if s>=tau: f.write('%s\t%s\t%d\t%d\n'%(r['id'],TECH[r['t']],r['start'],r['end']))
def ev(fn, gold):
    o=subprocess.run([SLANT,'eval','flc',fn,gold],capture_output=True,text=True).stdout
    return float([l for l in o.splitlines() if l.startswith('f1')][0].split()[1])
oof=[0]*len(tr)
for k in range(5):
    a=[r for r in tr if r['fold']!=k]; ia=[i for i,r in enumerate(tr) if r['fold']==k]
    m=gbm_train(a,FE,[r['y'] for r in a],rounds=rounds)
    for i,p in zip(ia,gbm_predict(m,[tr[i] for i in ia])): oof[i]=p
print('frag AUC OOF %.3f conf AUC %.3f'%(auc(oof,[r['y'] for r in tr]),auc([r['conf'] for r in tr],[r['y'] for r in tr])))
best=(0,0)
for tau in [i/100 for i in range(0,40,2)]:
    write(tr,oof,'tmp.flc',tau); f=ev('tmp.flc',D+'/train/TC.labels')
    if f>best[0]: best=(f,tau)
print('OOF train FLC best %.4f at %.2f'%best)
m=gbm_train(tr,FE,[r['y'] for r in tr],rounds=rounds)
ps=gbm_predict(m,dev)
print(gbm_importance(m).most_common(8))
write(dev,ps,'flc2_dev.flc',best[1]); print('dev FLC %.4f'%ev('flc2_dev.flc',D+'/dev/TC.labels'))
for tau in [0.05,0.1,0.15,0.2,0.25]:
    write(dev,ps,'tmp.flc',tau); print(' dev at %.2f: %.4f'%(tau,ev('tmp.flc',D+'/dev/TC.labels')))
