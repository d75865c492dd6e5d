(function(){
  // A finding refers to its command's contracts; opening it puts a copy of their tables beside its path.
  document.addEventListener('toggle',function(e){
    var d=e.target;
    if(!d.open||!d.classList||!d.classList.contains('finding')){return;}
    var refs=d.querySelectorAll('.contract-ref[data-contracts]');
    for(var i=0;i<refs.length;i++){
      var ids=refs[i].dataset.contracts.split(' ');
      for(var j=0;j<ids.length;j++){
        var src=document.getElementById(ids[j]);
        if(src){refs[i].appendChild(src.querySelector('table').cloneNode(true));}
      }
      refs[i].removeAttribute('data-contracts');
      refs[i].classList.add('filled');
    }
  },true);
})();
(function(){
  var rule=document.getElementById('filter-rule'),sev=document.getElementById('filter-severity'),obj=document.getElementById('filter-object');
  if(!rule){return;}
  var items=document.querySelectorAll('[data-rule]');
  var shown=document.getElementById('shown');
  function apply(){
    var r=rule.value,s=sev.value,o=obj.value,n=0;
    for(var i=0;i<items.length;i++){
      var e=items[i],d=e.dataset;
      var ok=(r===''||d.rule===r)&&(s===''||d.severity===s)&&(o===''||d.object===o);
      e.hidden=!ok;if(ok){n++;}
    }
    shown.textContent=String(n);
  }
  rule.addEventListener('change',apply);sev.addEventListener('change',apply);obj.addEventListener('change',apply);
})();
