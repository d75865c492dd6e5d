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
