(function(){
var d=document,b=d.body;b.classList.add('js');
var heat=d.getElementById('heat');
var secs=[].slice.call(d.querySelectorAll('section.slot'));
var byName={};secs.forEach(function(s){byName[s.getAttribute('data-name')]=s;});
var showAll=false,cur=null,curCell=null;
// Some browsers refuse history changes on file: pages; the view then just is not linkable.
function setUrl(u){try{history.replaceState(null,'',u);}catch(e){}}
function clearHl(){[].forEach.call(d.querySelectorAll('.hl'),function(x){x.classList.remove('hl');});}
function show(id,variant,doc,scroll,keepUrl){
  var s=d.getElementById(id);if(!s||!s.classList.contains('slot'))return;
  cur=s;secs.forEach(function(x){x.hidden=!showAll&&x!==s;});
  clearHl();
  if(heat){[].forEach.call(heat.querySelectorAll('th.sh.cur'),function(x){x.classList.remove('cur');});
    var a=heat.querySelector('th.sh a[data-s="'+id+'"]');if(a)a.parentNode.classList.add('cur');}
  if(variant!=null){var v=d.getElementById(id+(variant==='absent'?'va':'v'+variant));if(v)v.classList.add('hl');}
  if(doc){[].forEach.call(s.querySelectorAll('details.members li'),function(li){var c=li.querySelector('code');
    if(c&&c.textContent===doc){li.classList.add('hl');var det=li.parentNode.parentNode;if(det.tagName==='DETAILS')det.open=true;}});}
  if(!keepUrl)setUrl(location.pathname+location.search+'#'+id);
  if(scroll)s.scrollIntoView({block:'start'});
}
function go(e){var a=e.target.closest('a[href^="#s"]');if(!a)return;var id=a.getAttribute('href').slice(1);
  if(!d.getElementById(id)||!d.getElementById(id).classList.contains('slot'))return;e.preventDefault();show(id,null,null,true);}
d.addEventListener('click',go);
var btn=d.getElementById('show-all');
if(btn)btn.addEventListener('click',function(){showAll=!showAll;btn.textContent=showAll?'show one slot':'show all slots';
  secs.forEach(function(x){x.hidden=!showAll&&x!==cur;});});
if(heat){
  var tb=heat.tBodies[0],rows=[].slice.call(tb.rows),ncol=rows.length?rows[0].cells.length:4;
  tb.addEventListener('click',function(e){var c=e.target.closest('td[data-slot]');if(!c)return;
    var s=byName[c.getAttribute('data-slot')];if(!s)return;
    if(curCell)curCell.classList.remove('cur');curCell=c;c.classList.add('cur');
    show(s.id,c.getAttribute('data-variant'),c.getAttribute('data-doc'),true);});
  tb.addEventListener('mouseover',function(e){var c=e.target.closest('td[data-slot]');
    if(c&&!c.hasAttribute('data-t')){c.setAttribute('data-t','');c.title=c.getAttribute('data-doc')+'\n'+c.title;}});
  var gs=d.getElementById('group'),fi=d.getElementById('f-issuer'),fy=d.getElementById('f-year'),od=d.getElementById('only-drift'),cnt=d.getElementById('count');
  function render(){
    var g=gs.value,i=fi.value,y=fy.value;
    var keep=rows.filter(function(r){return(!i||r.getAttribute('data-i')===i)&&(!y||r.getAttribute('data-y')===y);});
    var f=d.createDocumentFragment();
    if(g){var groups={},keys=[];keep.forEach(function(r){var k=r.getAttribute('data-'+g);if(!groups[k]){groups[k]=[];keys.push(k);}groups[k].push(r);});
      keys.sort();keys.forEach(function(k){var tr=d.createElement('tr');tr.className='g';var th=d.createElement('th');th.colSpan=3;
        th.textContent=k+' · '+groups[k].length+(groups[k].length===1?' certificate':' certificates');tr.appendChild(th);
        var td=d.createElement('td');td.colSpan=ncol-3;tr.appendChild(td);f.appendChild(tr);
        groups[k].forEach(function(r){f.appendChild(r);});});}
    else keep.forEach(function(r){f.appendChild(r);});
    tb.textContent='';tb.appendChild(f);
    cnt.textContent=keep.length===rows.length?rows.length+' certificates':keep.length+' of '+rows.length+' certificates';
  }
  function drift(){heat.classList.toggle('od',od.checked);
    [].forEach.call(heat.querySelectorAll('th.gh'),function(g){var k=+g.getAttribute(od.checked?'data-dk':'data-k');g.hidden=!k;g.colSpan=k||1;});}
  // The view is kept in the query string (?group=i&issuer=…&year=…&drift=1), so a link keeps it.
  function save(){var q=[];
    [['slot',new URLSearchParams(location.search).get('slot')||''],['group',gs.value],['issuer',fi.value],['year',fy.value],['drift',od.checked?'1':'']].forEach(function(p){if(p[1])q.push(p[0]+'='+encodeURIComponent(p[1]));});
    setUrl(location.pathname+(q.length?'?'+q.join('&'):'')+location.hash);}
  [gs,fi,fy].forEach(function(x){x.addEventListener('change',function(){render();save();});});
  od.addEventListener('change',function(){drift();save();});
  var q=new URLSearchParams(location.search);
  gs.value=q.get('group')||'';fi.value=q.get('issuer')||'';fy.value=q.get('year')||'';od.checked=q.get('drift')==='1';
  if(gs.selectedIndex<0)gs.value='';if(fi.selectedIndex<0)fi.value='';if(fy.selectedIndex<0)fy.value='';
  render();drift();
}
// The slot shown first: #s7 (scrolled to), ?slot=十二 (by name), else the first drifting one.
var h=location.hash.slice(1),named=byName[new URLSearchParams(location.search).get('slot')],
  first=d.querySelector('section.slot.drifting')||secs[0];
if(h&&d.getElementById(h)&&d.getElementById(h).classList.contains('slot'))show(h,null,null,false,true);
else if(named)show(named.id,null,null,false,true);
else if(first)show(first.id,null,null,false,true);
window.addEventListener('hashchange',function(){var h=location.hash.slice(1);if(h)show(h,null,null,true);});
b.setAttribute('data-ready','1');
})();
