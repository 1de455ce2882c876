"""What several formats share: the HTML renderer, templating, packaged resources, reference
numbering and the render context."""
