/** The widget bundle's entry (widget/vite.config.ts builds it into one IIFE file). */
import { defineWidget } from './element.ts';

defineWidget();
