#!/usr/bin/env python3
"""FLC: keep a fragment when span confidence x technique probability (or the
technique probability alone) reaches a threshold; OOF train and dev FLC F1 by
the official scorer. usage: flc.py TAG"""
import subprocess, sys
from sf import *
SLANT = os.environ.get('SLANT_BIN', '../slant')
TAG=sys.argv[1]
tr=[]
for k in range(5): tr+=read_tsv(f'fold{k}/{TAG}.tsv')
dev=read_tsv(f'dev_{TAG}.tsv')
def write(rows, fn, tau, mode):
    with open(fn,'w') as f:
        for r in rows:
            for t in (r['tech0'],r['tech1']):
                if t<0: continue
                v = r['p%d'%t] if mode=='p' else r['p%d'%t]*r['mean_p']
                if v>=tau: f.write('%s\t%s\t%d\t%d\n'%(r['id'],TECH[t],r['start'],r['end']))
def ev(fn, gold):
    o=subprocess.run([SLANT,'eval','flc',fn,gold],capture_output=True,text=True).stdout
    return float([l for l in o.splitlines() if l.startswith('f1')][0].split()[1])
for mode in ['p','conf']:
    best=(0,0)
    for tau in [0,0.05,0.1,0.15,0.2,0.25,0.3,0.35,0.4,0.5]:
        write(tr,'tmp.flc',tau,mode); f=ev('tmp.flc',D+'/train/TC.labels')
        write(dev,'tmp.flc',tau,mode); fd=ev('tmp.flc',D+'/dev/TC.labels')
        print(mode, tau, 'OOF train FLC %.4f dev FLC %.4f'%(f,fd))
