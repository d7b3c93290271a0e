(function(){
var d=document,b=d.body;b.classList.add('js');
var t=d.getElementById('prov');
['hide-same','hide-ocr'].forEach(function(id){var cb=d.getElementById(id);
if(cb&&t){var f=function(){t.classList.toggle(id,cb.checked);};cb.addEventListener('change',f);f();}});
b.setAttribute('data-ready','1');
})();
