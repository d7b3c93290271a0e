(function(){
var d=document,b=d.body;b.classList.add('js');
var cb=d.getElementById('hide-same'),t=d.getElementById('prov');
if(cb&&t){var f=function(){t.classList.toggle('hide-same',cb.checked);};cb.addEventListener('change',f);f();}
b.setAttribute('data-ready','1');
})();
