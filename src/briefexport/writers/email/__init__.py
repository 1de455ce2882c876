"""The HTML email and the ``.eml`` message: the email and edition-email writers, the message
writer, campaign-tool (ESP) merge tags, UTM parameters and the contrast-checked palettes."""
