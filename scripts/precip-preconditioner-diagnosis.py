#!/usr/bin/env python3
"""PCG iterations on a contiguous patch of the precipitation grid (dense NumPy reference), for
docs/iterative.md: no preconditioner, block Jacobi on k-d leaves, pivoted Cholesky (Woodbury),
randomized Nystrom (Frangella-Tropp-Udell) and the Vecchia / sparse inverse-Cholesky factor.

Usage: scripts/precip-preconditioner-diagnosis.py L SF2 SN2 LAT0 HALF_LAT HALF_LON M1,M2,...
e.g.   scripts/precip-preconditioner-diagnosis.py 0.0897 7.58e5 85 10 20 40 10,30,60
(patch: |lat - LAT0| < HALF_LAT, |lon - 20| < HALF_LON; run from the repository root).
"""
import numpy as np, scipy.linalg as sl, scipy.sparse as sp, sys, time
d=np.loadtxt('data/kernel/precip-train.csv',delimiter=',')
X=d[:,:3]; y=d[:,3]
l,sf,sn=[float(v) for v in sys.argv[1:4]]
lat=np.degrees(np.arcsin(np.clip(X[:,2],-1,1))); lon=np.degrees(np.arctan2(X[:,1],X[:,0]))
sel=(np.abs(lat-float(sys.argv[4]))<float(sys.argv[5]))&(np.abs(lon-20)<float(sys.argv[6]))
x=X[sel]; t=y[sel]-y.mean(); n=len(t); print('patch n',n)
def matern52(r,l): s=np.sqrt(5)*r/l; return (1+s+s*s/3)*np.exp(-s)
def dist(A,B):
    D=np.sum(A*A,1)[:,None]+np.sum(B*B,1)[None,:]-2*A@B.T; return np.sqrt(np.maximum(D,0))
K=sf*matern52(dist(x,x),l); A=K+sn*np.eye(n)
def vecchia(m,order):
    # A^{-1} ~ U U^T, U upper-triangular in the ordering: for i, conditioning set = m nearest previous points
    rank=np.empty(n,int); rank[order]=np.arange(n)
    D=dist(x,x); rows=[];cols=[];vals=[]
    for k,i in enumerate(order):
        prev=order[:k]
        if k>0:
            nb=prev[np.argsort(D[i,prev])[:m]]
        else: nb=np.array([],int)
        s=np.concatenate([[i],nb])
        Th=A[np.ix_(s,s)]; e=np.zeros(len(s)); e[0]=1
        c=np.linalg.solve(Th,e); c/=np.sqrt(c[0])
        rows+=list(s); cols+=[i]*len(s); vals+=list(c)
    U=sp.csr_matrix((vals,(rows,cols)),shape=(n,n))
    return lambda v: U@(U.T@v)
ev=np.linalg.eigvalsh(K); print('eig>sn',np.sum(ev>sn),'eig>10sn',np.sum(ev>10*sn),'kappa A',(ev[-1]+sn)/(ev[0]+sn))
def pcg(Pinv,tol=1e-6,maxit=3000):
    b=t; xx=np.zeros(n); r=b.copy(); z=Pinv(r); p=z.copy(); rz=r@z
    for k in range(maxit):
        q=A@p; al=rz/(p@q); xx+=al*p; r-=al*q
        if np.linalg.norm(r)<tol*np.linalg.norm(b): return k+1
        z=Pinv(r); rz2=r@z; p=z+rz2/rz*p; rz=rz2
    return maxit
def pivchol(r):
    dg=np.full(n,sf); L=np.zeros((n,r)); piv=[]
    for k in range(r):
        j=int(np.argmax(dg)); v=K[:,j]-L[:,:k]@L[j,:k]; v/=np.sqrt(v[j]); L[:,k]=v; dg-=v*v; dg[j]=0
    return L
def woodbury(L):
    C=np.eye(L.shape[1])+L.T@L/sn; c=sl.cho_factor(C)
    return lambda v: v/sn-L@sl.cho_solve(c,L.T@v)/sn/sn
def nystrom(r,seed=0):
    # Frangella-Tropp-Udell randomized Nystrom
    O=np.linalg.qr(np.random.default_rng(seed).standard_normal((n,r)))[0]; Y=K@O
    nu=np.sqrt(n)*np.finfo(float).eps*np.linalg.norm(Y,2); Yn=Y+nu*O
    C=np.linalg.cholesky(O.T@Yn); B=sl.solve_triangular(C,Yn.T,lower=True).T
    U,S,_=np.linalg.svd(B,full_matrices=False); lam=np.maximum(S*S-nu,0)
    lr=lam[-1]
    return lambda v: U@((lr+sn)/(lam+sn)*(U.T@v))+(v-U@(U.T@v))
def leaves(size):
    idx=np.arange(n); out=[]
    def split(I):
        if len(I)<=size: out.append(I); return
        c=x[I]; dm=np.argmax(c.max(0)-c.min(0)); o=I[np.argsort(c[:,dm])]; h=len(o)//2; split(o[:h]); split(o[h:])
    split(idx); return out
def bjacobi(size):
    bl=leaves(size); fs=[(I,sl.cho_factor(A[np.ix_(I,I)])) for I in bl]
    def f(v):
        o=np.zeros_like(v)
        for I,c in fs: o[I]=sl.cho_solve(c,v[I])
        return o
    return f
def combo(size,L):
    # two-level: block Jacobi on the residual of the low-rank part, additive
    W=woodbury(L); B=bjacobi(size)
    return lambda v: B(v)+W(v)-v/sn  # additive coarse correction (approx)
PRE=[('bj256',lambda:bjacobi(256)),('bj1024',lambda:bjacobi(1024)),('pivchol300',lambda:woodbury(pivchol(300))),('nystrom1000',lambda:nystrom(min(1000,n//2))),('none',lambda:(lambda v:v))]
PRE+=[('vecchia m=%d' % m, (lambda m=m: vecchia(m, np.random.default_rng(0).permutation(n)))) for m in [int(a) for a in sys.argv[7].split(',')]]
for name,mk in PRE:
    P=mk()
    t0=time.time(); it=pcg(P); print(name,it,'%.1fs'%(time.time()-t0),flush=True)
