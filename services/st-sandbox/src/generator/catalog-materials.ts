import type { MaterialTemplate } from './catalog';

// Vendor ids (see defaultVendors): who sells which trade's parts.
const HVAC = [102, 103, 108, 109];
const PLUMB = [101, 105, 110];
const ELEC = [104, 107, 111];
const ANY = [106, 112];

export const materialCatalog: Record<string, Record<string, MaterialTemplate[]>> = {
  'HVAC Parts': {
    Motors: [
      {
        name: 'Condenser Fan Motor {1/6|1/4|1/3|1/2} HP {825|1075} RPM {208-230V|460V}',
        unit: 'Each',
        cost: [58, 265],
        vendors: HVAC,
      },
      {
        name: 'Blower Motor {1/3|1/2|3/4|1} HP {ECM|PSC} {115V|230V}',
        unit: 'Each',
        cost: [95, 620],
        vendors: HVAC,
      },
      {
        name: 'Inducer Motor Assembly {Carrier|Goodman|Lennox|Trane} OEM',
        unit: 'Each',
        cost: [120, 340],
        vendors: HVAC,
      },
    ],
    'Capacitors & Contactors': [
      {
        name: 'Dual Run Capacitor {35/5|40/5|45/5|55/5|60/5|70/7.5} MFD 440V',
        unit: 'Each',
        cost: [8, 34],
        vendors: HVAC,
      },
      {
        name: 'Start Capacitor {88-108|145-175|189-227} MFD 250V',
        unit: 'Each',
        cost: [6, 22],
        vendors: HVAC,
      },
      { name: 'Contactor {1|2}-Pole {30|40}A 24V Coil', unit: 'Each', cost: [9, 38], vendors: HVAC },
      { name: 'Hard Start Kit {5-2-1|Supco SPP6|Kickstart}', unit: 'Each', cost: [18, 55], vendors: HVAC },
    ],
    Refrigerant: [
      {
        name: '{R-410A|R-454B|R-32|R-22} Refrigerant {10|25} lb Cylinder',
        unit: 'Each',
        cost: [85, 680],
        vendors: HVAC,
      },
      { name: 'Refrigerant {R-410A|R-454B} per Pound', unit: 'Lb', cost: [9, 45], vendors: HVAC },
      {
        name: 'Filter Drier {3/8|1/2|5/8} in. Liquid Line {Bi-Flow|Standard}',
        unit: 'Each',
        cost: [12, 48],
        vendors: HVAC,
      },
    ],
    Filters: [
      {
        name: 'Pleated Air Filter {16x20x1|16x25x1|20x25x1|20x20x1|16x25x4|20x25x4} MERV {8|11|13}',
        unit: 'Each',
        cost: [4, 46],
        vendors: [...HVAC, ...ANY],
      },
      { name: 'Media Filter Cabinet {16x25|20x25} {4|5} in.', unit: 'Each', cost: [65, 180], vendors: HVAC },
    ],
    'Thermostats & Controls': [
      {
        name: '{Honeywell T6 Pro|Honeywell T10+|ecobee Premium|Emerson Sensi Touch 2|Google Nest Learning} Thermostat',
        unit: 'Each',
        cost: [58, 265],
        vendors: [...HVAC, ...ANY],
      },
      {
        name: '{Hot Surface Ignitor|Flame Sensor|Pressure Switch|Limit Switch|Rollout Switch} {Universal|OEM}',
        unit: 'Each',
        cost: [9, 85],
        vendors: HVAC,
      },
      {
        name: 'Ignition Control Board {Universal|OEM} {White-Rodgers|Honeywell}',
        unit: 'Each',
        cost: [95, 310],
        vendors: HVAC,
      },
      {
        name: 'Condensate Pump {115V|230V} {Little Giant|Aspen Mini}',
        unit: 'Each',
        cost: [45, 140],
        vendors: HVAC,
      },
    ],
    Ductwork: [
      { name: '{6|8|10|12|14} in. Flex Duct R-{6|8} 25 ft', unit: 'Box', cost: [38, 120], vendors: HVAC },
      {
        name: '{Supply|Return} Register {10x6|12x6|14x6|20x20} {White|Brown}',
        unit: 'Each',
        cost: [6, 38],
        vendors: HVAC,
      },
      { name: 'Duct Sealant Mastic {1|2} Gal', unit: 'Each', cost: [14, 42], vendors: HVAC },
    ],
    Coils: [
      {
        name: 'Evaporator Coil {2|2.5|3|3.5|4|5} Ton {Cased|Uncased} {Upflow|Horizontal}',
        unit: 'Each',
        cost: [420, 1450],
        vendors: HVAC,
      },
    ],
  },
  'Plumbing Parts': {
    Fittings: [
      {
        name: '{1/2|3/4|1|1-1/4|1-1/2} in. {Copper|PEX|CPVC|Brass} {90 Elbow|45 Elbow|Tee|Coupling|Cap|Adapter}',
        unit: 'Each',
        cost: [0.45, 14],
        vendors: PLUMB,
      },
      {
        name: '{2|3|4} in. {PVC|ABS} {Sanitary Tee|Wye|Long Sweep 90|Coupling|Cleanout Adapter}',
        unit: 'Each',
        cost: [1.8, 24],
        vendors: PLUMB,
      },
    ],
    Valves: [
      {
        name: '{1/2|3/4|1} in. {Ball Valve Full Port|Gate Valve|Check Valve|Pressure Reducing Valve} {Sweat|Threaded|PEX|Press}',
        unit: 'Each',
        cost: [8, 185],
        vendors: PLUMB,
      },
      {
        name: 'Angle Stop {1/2 x 3/8|5/8 x 3/8} {Quarter Turn|Multi Turn}',
        unit: 'Each',
        cost: [5, 19],
        vendors: PLUMB,
      },
      { name: 'Gas Valve {1/2|3/4|1} in. {Straight|Angle}', unit: 'Each', cost: [9, 42], vendors: PLUMB },
    ],
    'Pipe & Tubing': [
      {
        name: '{1/2|3/4|1} in. {Type L Copper|Type M Copper|PEX-A|PEX-B|CPVC} Pipe',
        unit: 'Ft',
        cost: [0.6, 9.5],
        vendors: PLUMB,
      },
      {
        name: '{2|3|4} in. {PVC Sch 40|ABS|Cast Iron No-Hub} Pipe',
        unit: 'Ft',
        cost: [1.2, 22],
        vendors: PLUMB,
      },
    ],
    Fixtures: [
      {
        name: '{Moen|Delta|Kohler|American Standard|Pfister} {Kitchen Faucet|Lavatory Faucet|Tub Spout|Shower Valve Trim} {Chrome|Brushed Nickel|Matte Black}',
        unit: 'Each',
        cost: [45, 420],
        vendors: PLUMB,
      },
      {
        name: '{Kohler|American Standard|TOTO|Gerber} {Elongated|Round} Toilet {1.28|1.6} GPF',
        unit: 'Each',
        cost: [140, 520],
        vendors: PLUMB,
      },
      {
        name: 'Garbage Disposal {1/2|3/4|1} HP {InSinkErator|Moen}',
        unit: 'Each',
        cost: [95, 360],
        vendors: PLUMB,
      },
    ],
    'Water Heater Parts': [
      {
        name: '{Anode Rod Magnesium|Anode Rod Aluminum|Thermocouple|Gas Control Valve|T&P Relief Valve|Dip Tube} {40|50|75} Gal',
        unit: 'Each',
        cost: [9, 190],
        vendors: PLUMB,
      },
      {
        name: 'Heating Element {3500|4500|5500} W {240V|120V}',
        unit: 'Each',
        cost: [12, 38],
        vendors: PLUMB,
      },
      { name: 'Expansion Tank {2|4.5|5} Gal', unit: 'Each', cost: [32, 95], vendors: PLUMB },
    ],
    'Drain Parts': [
      {
        name: '{1-1/4|1-1/2|2} in. {P-Trap|Tailpiece|Trap Arm|Drain Assembly} {PVC|ABS|Chrome}',
        unit: 'Each',
        cost: [3, 42],
        vendors: PLUMB,
      },
      {
        name: '{Wax Ring|Closet Flange|Closet Bolts|Flapper|Fill Valve} {Standard|Heavy Duty}',
        unit: 'Each',
        cost: [2.5, 28],
        vendors: PLUMB,
      },
    ],
  },
  'Electrical Parts': {
    Breakers: [
      {
        name: '{Square D QO|Square D HOM|Eaton BR|Eaton CH|Siemens QP} {15|20|30|40|50|60}A {1|2}-Pole {Standard|AFCI|GFCI|Dual Function}',
        unit: 'Each',
        cost: [6, 95],
        vendors: ELEC,
      },
    ],
    'Wire & Cable': [
      {
        name: '{14|12|10|8|6} AWG {THHN|NM-B|UF-B|MC} {Black|White|Red|Green|Yellow}',
        unit: 'Ft',
        cost: [0.18, 3.4],
        vendors: ELEC,
      },
      {
        name: '{14/2|12/2|10/3|6/3} NM-B Romex {50|100|250} ft',
        unit: 'Each',
        cost: [38, 420],
        vendors: ELEC,
      },
    ],
    Devices: [
      {
        name: '{15|20}A {Duplex Receptacle|GFCI Receptacle|Decora Switch|3-Way Switch|USB Receptacle|Smart Dimmer} {White|Ivory|Light Almond}',
        unit: 'Each',
        cost: [1.2, 58],
        vendors: ELEC,
      },
    ],
    Lighting: [
      {
        name: '{4|6} in. LED Recessed {Retrofit|New Construction} {2700K|3000K|4000K}',
        unit: 'Each',
        cost: [9, 48],
        vendors: ELEC,
      },
      {
        name: '{Exterior Wall Pack|Motion Flood Light|Ceiling Fan Kit|Under Cabinet Light} LED {20|40|60} W',
        unit: 'Each',
        cost: [22, 185],
        vendors: [...ELEC, ...ANY],
      },
    ],
    'Conduit & Boxes': [
      {
        name: '{1/2|3/4|1} in. {EMT Conduit|PVC Conduit|Flex Conduit} 10 ft',
        unit: 'Each',
        cost: [3.5, 28],
        vendors: ELEC,
      },
      {
        name: '{Old Work|New Work|Weatherproof} Box {1|2|3}-Gang',
        unit: 'Each',
        cost: [0.9, 18],
        vendors: ELEC,
      },
    ],
    'Surge Protection': [
      {
        name: 'Whole Home Surge Protector Type {1|2} {Eaton|Square D|Siemens|Leviton}',
        unit: 'Each',
        cost: [65, 240],
        vendors: ELEC,
      },
    ],
  },
};
